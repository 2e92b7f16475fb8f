#!/usr/bin/env python3
"""Benchmark: `journal add` against `git add F && git commit -q` of the same file.

For each size (entries already in the repository) it builds a git repository holding a corpus
made by ../shared/bench/gen-corpus.py, then runs the two commands alternately (ABAB…), so that
both see the same machine load, and reports medians and the ratio journal/git.

    cargo build --release
    python3 bench/add-vs-git.py --sizes 1000,10000,100000 --runs 30

Repositories are cached under --work (default /tmp/journal-bench); pass --fresh to rebuild.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEN = ROOT.parent / "shared" / "bench" / "gen-corpus.py"


def run(cmd, cwd, **kw):
    return subprocess.run(cmd, cwd=cwd, check=True, **kw)


def build_repo(size, work, journal, fresh):
    repo = work / f"repo-{size}"
    marker = repo / ".git" / "bench-ready"
    if marker.exists() and not fresh:
        return repo
    shutil.rmtree(repo, ignore_errors=True)
    corpus = work / f"corpus-{size}"
    if fresh or not (corpus / ".manifest.json").exists():
        shutil.rmtree(corpus, ignore_errors=True)
        run([sys.executable, str(GEN), "--count", str(size), "--out", str(corpus)], cwd=work,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    repo.mkdir(parents=True)
    run(["git", "init", "-q", "-b", "main"], cwd=repo)
    run(["git", "config", "user.name", "Bench"], cwd=repo)
    run(["git", "config", "user.email", "bench@example.org"], cwd=repo)
    run([journal, "init"], cwd=repo, stderr=subprocess.DEVNULL)
    shutil.rmtree(repo / "journal")
    shutil.copytree(corpus, repo / "journal", ignore=shutil.ignore_patterns(".manifest.json"))
    run(["git", "add", "-A"], cwd=repo)
    run(["git", "commit", "-q", "-m", f"corpus of {size} entries"], cwd=repo)
    marker.write_text("ok\n")
    return repo


def timed(cmd, cwd):
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(repo, journal, runs, warmup):
    template = next((repo / "journal").glob("*/*/*.md")).read_text()
    month = repo / "journal" / "2026" / "11"
    month.mkdir(parents=True, exist_ok=True)
    times = {"journal": [], "git": []}
    stamp = time.time_ns()
    for i in range(warmup + runs):
        # journal add: writes the file itself, commits it alone.
        t_journal = timed(["sh", "-c", f'"{journal}" add "Bench note {stamp}-{i}" --provider hetzner'], repo)
        # git: the same kind of file, already written, then staged and committed.
        rel = f"journal/2026/11/{stamp}-bench-{i}.md"
        (repo / rel).write_text(template)
        t_git = timed(["sh", "-c", f'git add {rel} && git commit -q -m "journal: bench {i}"'], repo)
        if i >= warmup:
            times["journal"].append(t_journal)
            times["git"].append(t_git)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--work", default="/tmp/journal-bench")
    parser.add_argument("--journal", default=str(ROOT / "target" / "release" / "journal"))
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON too")
    args = parser.parse_args()
    journal = str(Path(args.journal).resolve())
    if not Path(journal).exists():
        sys.exit(f"error: {journal} not found: run `cargo build --release` first")
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    env_note = f"{os.cpu_count()} cores, git {subprocess.check_output(['git', '--version'], text=True).split()[-1]}"
    print(f"journal add vs git add && git commit; {args.runs} runs each, alternated; {env_note}")
    print("| entries | journal add median | git add+commit median | ratio | journal p90 | git p90 |")
    print("|---:|---:|---:|---:|---:|---:|")
    raw = {}
    for size in [int(s) for s in args.sizes.split(",")]:
        repo = build_repo(size, work, journal, args.fresh)
        times = measure(repo, journal, args.runs, args.warmup)
        raw[size] = times
        mj, mg = statistics.median(times["journal"]), statistics.median(times["git"])
        p90 = lambda xs: sorted(xs)[int(len(xs) * 0.9) - 1]
        print(f"| {size:,} | {mj * 1000:.1f} ms | {mg * 1000:.1f} ms | {mj / mg:.2f} | "
              f"{p90(times['journal']) * 1000:.1f} ms | {p90(times['git']) * 1000:.1f} ms |", flush=True)
    if args.json:
        print(json.dumps(raw))


if __name__ == "__main__":
    main()
