#!/usr/bin/env python3
"""Benchmark: `journal add` of one binary against another (before and after a change).

For each size it builds (or reuses) bench/add-vs-git.py's repository: a committed corpus of
../shared/bench/gen-corpus.py, git identity set. It copies it once per binary, then runs
`journal add "…" --provider hetzner` (a new title each time, committed) alternately with the
two binaries (ABAB...), so both see the same machine load, and reports medians, p90 and the
ratio new / old.

    cargo build --release                      # the new binary: target/release/journal
    git worktree add /tmp/old-journal <REV>    # the old one
    (cd /tmp/old-journal && CARGO_TARGET_DIR=/tmp/old-target cargo build --release)
    python3 bench/add-ab.py --old /tmp/old-target/release/journal --sizes 10000,100000
"""

import argparse
import importlib.util
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location("add_vs_git", ROOT / "bench" / "add-vs-git.py")
add_vs_git = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(add_vs_git)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--old", required=True, help="the binary before the change")
    parser.add_argument("--new", default=str(ROOT / "target" / "release" / "journal"))
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--work", default="/tmp/journal-bench")
    args = parser.parse_args()
    binaries = {"old": str(Path(args.old).resolve()), "new": str(Path(args.new).resolve())}
    for path in binaries.values():
        if not Path(path).is_file():
            sys.exit(f"error: {path} not found")
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    print(f"journal add, old ({args.old}) against new ({args.new}); {args.runs} runs each, "
          f"alternated, after {args.warmup} warm-up runs; 2 cores")
    print("| entries | old median | new median | new / old | old p90 | new p90 |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size in [int(s) for s in args.sizes.split(",")]:
        base = add_vs_git.build_repo(size, work, binaries["new"], False)
        repos = {}
        for name in binaries:
            dest = work / f"add-ab-{size}-{name}"
            shutil.rmtree(dest, ignore_errors=True)
            subprocess.run(["cp", "-a", str(base), str(dest)], check=True)
            shutil.rmtree(dest / ".git" / "journal", ignore_errors=True)
            repos[name] = dest
        times = {name: [] for name in binaries}
        stamp = time.time_ns()
        for i in range(args.warmup + args.runs):
            for name, binary in binaries.items():
                cmd = [binary, "add", f"Bench note {stamp}-{i}", "--provider", "hetzner"]
                elapsed = add_vs_git.timed(cmd, repos[name])
                if i >= args.warmup:
                    times[name].append(elapsed)
        p90 = lambda xs: sorted(xs)[int(len(xs) * 0.9) - 1]
        old, new = (statistics.median(times[n]) for n in ("old", "new"))
        print(f"| {size:,} | {old * 1000:.1f} ms | {new * 1000:.1f} ms | {new / old:.3f} | "
              f"{p90(times['old']) * 1000:.1f} ms | {p90(times['new']) * 1000:.1f} ms |", flush=True)
        for dest in repos.values():
            fsck = subprocess.run(["git", "fsck", "--no-dangling"], cwd=dest, capture_output=True)
            status = subprocess.run(["git", "status", "--porcelain"], cwd=dest, capture_output=True, text=True)
            if fsck.returncode != 0 or status.stdout:
                sys.exit(f"error: {dest} is not clean after the adds")
            shutil.rmtree(dest)


if __name__ == "__main__":
    main()
