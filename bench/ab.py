#!/usr/bin/env python3
"""Benchmark: one `journal` binary against another (before and after a change), side by side.

For each size it takes the corpus and repository of bench/search.py (../shared/bench/
gen-corpus.py, seed 42), copies the repository once per binary (each keeps its own index, whose
format may differ), warms both, then runs each command alternately with the two binaries
(ABAB...) and reports medians and the ratio new / old. Commands: searches (rare word, common
word, filter only) with the freshness check (no watcher), list, tags, compile and reindex.

    cargo build --release                      # the new binary: target/release/journal
    git worktree add /tmp/old-journal <REV>    # the old one
    (cd /tmp/old-journal && CARGO_TARGET_DIR=/tmp/old-target cargo build --release)
    python3 bench/ab.py --old /tmp/old-target/release/journal --sizes 10000,100000
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import search

ROOT = Path(__file__).resolve().parent.parent


def copy(repo, dest):
    if dest.exists():
        shutil.rmtree(dest)
    subprocess.run(["cp", "-a", str(repo), str(dest)], check=True)
    shutil.rmtree(dest / ".git" / "journal", ignore_errors=True)
    return dest


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--old", required=True, help="the binary before the change")
    parser.add_argument("--new", default=str(ROOT / "target" / "release" / "journal"))
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--slow-runs", type=int, default=5, help="runs of compile and reindex")
    parser.add_argument("--work", default="/tmp/journal-search-bench")
    args = parser.parse_args()
    binaries = {"old": args.old, "new": args.new}
    for path in binaries.values():
        if not Path(path).is_file():
            sys.exit(f"error: {path} not found")
    print(f"`journal` old ({args.old}) against new ({args.new}); alternated, medians; 2 cores")
    for size in [int(s) for s in args.sizes.split(",")]:
        info = search.setup(size, Path(args.work), args.new, False)
        repos = {name: copy(Path(info["repo"]), Path(args.work) / str(size) / f"ab-{name}")
                 for name in binaries}
        out = Path(tempfile.mkdtemp(prefix="journal-ab-"))
        commands = [
            ("search, rare word", ["search", info["rare"]], args.runs),
            ("search, common word", ["search", info["common"]], args.runs),
            ("search --pattern zerotier", ["search", "--pattern", "zerotier"], args.runs),
            ("list --limit 20", ["list", "--limit", "20"], args.runs),
            ("tags", ["tags"], args.runs),
            ("compile", ["compile", "--out", str(out), "--date", "2026-12-01"], args.slow_runs),
            ("reindex", ["reindex"], args.slow_runs),
        ]
        for name, repo in repos.items():
            # The first command builds the index from scratch; a second warms the caches.
            for _ in range(2):
                search.timed([binaries[name], "list", "--limit", "1"], cwd=repo)
        print(f"\n## {size:,} entries\n")
        print("| command | old | new | new / old |")
        print("|---|---:|---:|---:|")
        for label, cmd, runs in commands:
            times = {name: [] for name in binaries}
            for _ in range(runs):
                for name in binaries:
                    times[name].append(search.timed([binaries[name]] + cmd, cwd=repos[name]))
            old, new = (statistics.median(times[n]) * 1000 for n in ("old", "new"))
            unit = lambda ms: f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.1f} ms"
            print(f"| {label} | {unit(old)} | {unit(new)} | {new / old:.2f} |", flush=True)
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
