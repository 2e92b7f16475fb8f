#!/usr/bin/env python3
"""Benchmark: the confidence table of a kept journal (issue 25 item 6) at 100,000 entries.

On a journal whose entries are committed (`--repo`, e.g. the corpus of bench/search.py
copied into a repository and committed, journal.toml's `commit = true`): one `journal
serve` (its watcher running), warmed by one request; then per run, in one run: `/confidence`
made afresh with nothing changed, and `/confidence` made afresh right after a `journal add`
that committed (the server's memo then reads the new entry and asks git about the new
commit only), then `journal_coverage` over MCP the same way. Medians and the server's RSS.

    cargo build --release
    python3 bench/confidence.py --repo /tmp/committed-100k --runs 5
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    start = time.perf_counter()
    conn.request("GET", path, headers={"Host": f"127.0.0.1:{port}", "Cache-Control": "no-cache"})
    response = conn.getresponse()
    response.read()
    took = (time.perf_counter() - start) * 1000
    if response.status != 200:
        sys.exit(f"error: GET {path}: {response.status}")
    return took


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--port", type=int, default=7441)
    parser.add_argument("--journal", default=str(ROOT / "target" / "release" / "journal"))
    args = parser.parse_args()
    env = dict(os.environ, JOURNAL_DIR=args.repo)
    server = subprocess.Popen([args.journal, "serve", "--port", str(args.port)], cwd=args.repo, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 120
        while True:
            try:
                first = get(args.port, "/confidence")
                break
            except OSError:
                if time.time() > deadline:
                    sys.exit("error: the server did not answer")
                time.sleep(0.5)
        unchanged, after_add = [], []
        for i in range(args.runs):
            unchanged.append(get(args.port, "/confidence"))
            subprocess.run([args.journal, "add", f"Bench observation {i} on luks", "--provider", "hetzner",
                            "--pattern", "luks", "--kind", "finding", "--commit", "HEAD"],
                           cwd=args.repo, env=env, check=True, capture_output=True)
            after_add.append(get(args.port, "/confidence"))
        rss = int(open(f"/proc/{server.pid}/status").read().split("VmRSS:")[1].split()[0]) // 1024
        print(f"first request {first:.0f} ms; afresh unchanged median {statistics.median(unchanged):.0f} ms "
              f"(min {min(unchanged):.0f}, max {max(unchanged):.0f}); after an add that committed median "
              f"{statistics.median(after_add):.0f} ms (min {min(after_add):.0f}, max {max(after_add):.0f}); "
              f"server RSS {rss} MB; runs {args.runs}")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
