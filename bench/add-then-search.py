#!/usr/bin/env python3
"""Benchmark: the first search after an `add`, without a watcher, on a repository with 8,600
commits (issue 24: "<= 100 ms"), one binary against another, alternated in one run.

Takes bench/history.py's repository (fast-import, --commits commits, built once under --work),
copies it once per binary (each keeps its own index), makes it a journal that commits its
entries, syncs once, then per run and binary: `journal add` (a commit: the history moved), then
the timed `journal search` of a word of that entry. Reports medians and the ratio new / old.

    cargo build --release
    python3 bench/add-then-search.py --old /tmp/old-target/release/journal --runs 9
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import history

ROOT = Path(__file__).resolve().parent.parent


def run(cmd, cwd):
    subprocess.run(cmd, cwd=cwd, env=history.ENV, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--old", required=True)
    parser.add_argument("--new", default=str(ROOT / "target" / "release" / "journal"))
    parser.add_argument("--commits", type=int, default=8600)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--work", default="/tmp/journal-history-bench")
    args = parser.parse_args()
    base = Path(args.work) / f"repo-{args.commits}"
    if not base.exists():
        base.parent.mkdir(parents=True, exist_ok=True)
        history.build(base, args.commits)
    binaries = {"old": args.old, "new": args.new}
    repos = {}
    for name, journal in binaries.items():
        repo = Path(args.work) / f"add-search-{name}"
        shutil.rmtree(repo, ignore_errors=True)
        subprocess.run(["cp", "-a", str(base), str(repo)], check=True)
        shutil.rmtree(repo / ".git" / "journal", ignore_errors=True)
        run(["git", "config", "user.name", "Ops"], repo)
        run(["git", "config", "user.email", "ops@example.org"], repo)
        (repo / "journal.toml").write_text('entries = "journal"\ncommit = true\n')
        run(["git", "add", "journal.toml"], repo)
        run(["git", "commit", "-q", "-m", "journal: init"], repo)
        run([journal, "reindex"], repo)
        repos[name] = repo
    times = {"old": [], "new": []}
    for i in range(args.runs):
        for name, journal in binaries.items():
            word = f"marker{i}x"
            run([journal, "add", f"Observed {word} on the cx32"], repos[name])
            start = time.perf_counter()
            run([journal, "search", word], repos[name])
            times[name].append(time.perf_counter() - start)
    old = statistics.median(times["old"]) * 1000
    new = statistics.median(times["new"]) * 1000
    print(f"{args.commits} commits, no watcher, {args.runs} alternated runs, medians")
    print("| first search after an add | old | new | new / old |")
    print("|---|---:|---:|---:|")
    print(f"| `journal search WORD` | {old:.1f} ms | {new:.1f} ms | {new / old:.2f} |")


if __name__ == "__main__":
    sys.exit(main())
