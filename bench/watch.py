#!/usr/bin/env python3
"""Benchmark: `journal watch` (issue 4).

On the corpora of bench/search.py (same cache), for each size:
- latency from an entry file being written to `journal search` finding it, and from
  `git commit` in the journal's repository to `journal search --commits` finding the commit
  (debounce included): the search is polled as fast as it runs, medians and p95 of --runs;
- search latency with a running watcher against the same search without one (each reading
  command then checks every file itself), alternated in one run;
- the watcher's memory (RSS now and peak, from /proc) and CPU time over --idle seconds idle.

    cargo build --release
    python3 bench/watch.py --sizes 1000,100000

Needs what bench/search.py needs to build its corpora (rg and sqlite3 are not used here).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import search  # noqa: E402  (the corpus set-up)

ENTRY = """---
id: {id}
date: 2026-11-20T10:00:00+01:00
title: watcher probe {word}
author: Bench <bench@example.org>
provider: [hetzner]
kind: finding
---
A note written while the watcher runs: {word}.
"""


def run(cmd, cwd, env):
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)


def status(journal, repo, env):
    import json
    out = run([journal, "status", "--json"], repo, env)
    return json.loads(out.stdout) if out.returncode == 0 else {}


def wait(what, done, deadline=600):
    start = time.monotonic()
    while not done():
        if time.monotonic() - start > deadline:
            sys.exit(f"error: timed out waiting for {what}")
        time.sleep(0.02)


def until_found(cmd, repo, env, start, deadline=30):
    """Runs cmd until it prints something; returns the seconds since start."""
    while True:
        out = run(cmd, repo, env)
        if out.stdout.strip():
            return time.perf_counter() - start
        if time.perf_counter() - start > deadline:
            sys.exit(f"error: {cmd} found nothing in {deadline} s")


def proc_stat(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    mem = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
            mem[key] = int(value.split()[0]) / 1024
    return cpu, mem


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, -(-len(xs) * p // 100) - 1))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--idle", type=float, default=30.0)
    parser.add_argument("--work", default="/tmp/journal-search-bench")
    parser.add_argument("--cold", action="store_true",
                        help="delete the index first: the watcher's first sync is a full build")
    parser.add_argument("--journal", default=str(search.ROOT / "target" / "release" / "journal"))
    args = parser.parse_args()
    journal = str(Path(args.journal).resolve())
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)

    for size in [int(s) for s in args.sizes.split(",")]:
        info = search.setup(size, work, journal, False)
        repo = info["repo"]
        env = dict(os.environ, JOURNAL_DIR=repo, GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="b@e",
                   GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="b@e")
        run([journal, "search", info["rare"]], repo, env)  # the index up to date, files cached
        month = Path(repo, "journal", "2026", "11")
        month.mkdir(parents=True, exist_ok=True)
        for old in month.glob("*-watchprobe-*.md"):
            old.unlink()

        # Search with and without a watcher, alternated: the watcher is started and stopped.
        query = [journal, "search", info["rare"], "--limit", "20"]
        without, with_watcher = [], []
        if args.cold:
            import shutil
            shutil.rmtree(Path(repo, ".git", "journal"), ignore_errors=True)
        first_sync = time.perf_counter()
        log = open(Path(work, f"watch-{size}.log"), "w")
        watcher = subprocess.Popen([journal, "watch"], cwd=repo, env=env, stderr=log, stdout=subprocess.DEVNULL)
        wait("the watcher", lambda: status(journal, repo, env).get("watcher", {}).get("state") == "running")
        first_sync = time.perf_counter() - first_sync
        started_cpu, _ = proc_stat(watcher.pid)
        for _ in range(args.runs):
            with_watcher.append(search.timed(query, cwd=repo, env=env))
        # Idle footprint.
        cpu0, _ = proc_stat(watcher.pid)
        time.sleep(args.idle)
        cpu1, mem = proc_stat(watcher.pid)

        # Latencies, with the watcher running.
        write_lat, commit_lat = [], []
        for i in range(args.runs):
            word = f"wprobe{time.time_ns()}q"  # unique across runs: commits stay
            entry_id = f"20261120T0900{i:02d}Z-watchprobe-{i}"
            start = time.perf_counter()
            Path(month, f"{entry_id}.md").write_text(ENTRY.format(id=entry_id, word=word))
            write_lat.append(until_found([journal, "search", word, "--json"], repo, env, start))
            # From the start of `git commit`: git updates the branch early, then goes on
            # (auto maintenance) while the watcher may already be at work.
            start = time.perf_counter()
            subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", f"bench {word}c"], cwd=repo, env=env, check=True)
            commit_lat.append(until_found([journal, "search", "--commits", f"{word}c", "--json"], repo, env, start))
        watcher.terminate()
        watcher.wait()
        log.close()
        for _ in range(args.runs):
            without.append(search.timed(query, cwd=repo, env=env))
        for old in month.glob("*-watchprobe-*.md"):
            old.unlink()

        w, wo = search.median_ms(with_watcher), search.median_ms(without)
        print(f"\n## {size:,} entries\n")
        print("| measure | median | p95 |\n|---|---:|---:|")
        print(f"| entry file written -> found by search | {search.median_ms(write_lat):.0f} ms | {pct(write_lat, 95) * 1000:.0f} ms |")
        print(f"| git commit -> found by search --commits | {search.median_ms(commit_lat):.0f} ms | {pct(commit_lat, 95) * 1000:.0f} ms |")
        print(f"| search, watcher running | {w:.1f} ms | {pct(with_watcher, 95) * 1000:.1f} ms |")
        print(f"| search, no watcher (own freshness check) | {wo:.1f} ms | {pct(without, 95) * 1000:.1f} ms |")
        print(f"\nStart to ready: {first_sync:.1f} s{' (a full build)' if args.cold else ''}. "
              f"Ratio without/with watcher: {wo / w:.1f}x. Watcher idle: RSS {mem['VmRSS']:.0f} MB "
              f"(peak {mem['VmHWM']:.0f} MB), CPU {cpu1 - cpu0:.2f} s over {args.idle:.0f} s idle "
              f"(first sync and searches: {cpu0 - started_cpu:.2f} s).", flush=True)


if __name__ == "__main__":
    main()
