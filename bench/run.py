#!/usr/bin/env python3
"""Benchmark: `journal run -- CMD` against CMD run directly (its peer: the command itself).

Two costs are measured, alternating the two forms (ABAB…) so that both see the same load:

- start and record: `journal run --quiet-output -- true` (spawn, wait, write and commit the
  entry) against `true`;
- output pass-through: a command printing N lines (`seq 1 N`, about 7 bytes a line), its
  output sent to /dev/null, through journal run (copy, capture of the tail) or directly, and
  against `seq | cat` (one pipe and a copy: the floor of any pass-through).

    cargo build --release
    python3 bench/run.py --runs 21 --lines 2000000

Reports medians and the ratio journal/direct.
"""

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(cmd, cwd, env):
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--journal", default=str(ROOT / "target/release/journal"))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        repo.mkdir()
        env = dict(os.environ, GIT_CONFIG_GLOBAL="/dev/null", HOME=tmp)
        for cmd in (["git", "init", "-q", "-b", "main"], ["git", "config", "user.name", "Bench"],
                    ["git", "config", "user.email", "bench@example.org"], [args.journal, "init"]):
            subprocess.run(cmd, cwd=repo, env=env, check=True, capture_output=True)

        cases = {
            "start and record (true)": (["true"], [args.journal, "run", "--quiet-output", "--", "true"]),
            f"pass-through ({args.lines:,} lines)": (
                ["seq", "1", str(args.lines)],
                [args.journal, "run", "--", "seq", "1", str(args.lines)],
            ),
            # The floor of any pass-through: the same bytes through one pipe and `cat`.
            f"same, against seq | cat": (
                ["sh", "-c", f"seq 1 {args.lines} | cat"],
                [args.journal, "run", "--", "seq", "1", str(args.lines)],
            ),
        }
        print(f"{'case':34} {'direct (ms)':>12} {'journal run (ms)':>17} {'ratio':>7}")
        for name, (direct, through) in cases.items():
            a, b = [], []
            for _ in range(args.runs):
                a.append(timed(direct, repo, env))
                b.append(timed(through, repo, env))
            da, db = statistics.median(a) * 1000, statistics.median(b) * 1000
            print(f"{name:34} {da:12.1f} {db:17.1f} {db / da:7.2f}")


if __name__ == "__main__":
    main()
