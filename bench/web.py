#!/usr/bin/env python3
"""Benchmark: `journal serve` (issue 16) against the `journal search --json` process.

On the corpora of bench/search.py (same cache), for each size: one `journal serve` (its own
watcher running, as by default), warmed by one request each; then per run, alternated in one
run: the timeline page (`/`), a search page (`/search?q=<rare word>`), and `journal search
--json <rare word>` as a process. The pages twice: as kept by the server until the journal
changes, and made afresh (`Cache-Control: no-cache`, a forced reload: what a first visit
after a change costs). Requests go over one kept-alive connection and are timed
from the request sent to the last byte read. Medians, p95 and the server's RSS (now and peak,
from /proc) after the runs.

    cargo build --release
    python3 bench/web.py --sizes 10000,100000
"""

import argparse
import http.client
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import search  # noqa: E402  (the corpus set-up)
import watch  # noqa: E402  (status polling, percentiles)


def fetch(conn, path, host, fresh=False):
    start = time.perf_counter()
    headers = {"Host": host, "Cache-Control": "no-cache"} if fresh else {"Host": host}
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    took = time.perf_counter() - start
    if response.status != 200:
        sys.exit(f"error: GET {path}: {response.status} {body[:200]!r}")
    return took


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--afresh", default="",
                        help="comma-separated pages also timed made afresh after the table (e.g. /confidence,/metrics)")
    parser.add_argument("--work", default="/tmp/journal-search-bench")
    parser.add_argument("--journal", default=str(search.ROOT / "target" / "release" / "journal"))
    args = parser.parse_args()
    journal = str(Path(args.journal).resolve())
    work = Path(args.work)
    print("| entries | timeline median | p95 | search page median | p95 | timeline afresh median | p95 "
          "| search page afresh median | p95 | `journal search --json` median | p95 | server RSS (peak) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in [int(s) for s in args.sizes.split(",")]:
        info = search.setup(size, work, journal, False)
        repo = info["repo"]
        env = dict(os.environ, JOURNAL_DIR=repo)
        server = subprocess.Popen([journal, "serve", "--port", "0"], cwd=repo, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        url = server.stdout.readline().strip().removeprefix("Serving ")
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        host = f"localhost:{port}"
        watch.wait("the server's watcher", lambda: watch.status(journal, repo, env).get("watcher", {}).get("state") == "running")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        page = f"/search?q={info['rare']}"
        fetch(conn, "/", host)
        fetch(conn, page, host)
        timeline, searched, process, timeline_fresh, searched_fresh = [], [], [], [], []
        for _ in range(args.runs):
            timeline.append(fetch(conn, "/", host))
            searched.append(fetch(conn, page, host))
            timeline_fresh.append(fetch(conn, "/", host, fresh=True))
            searched_fresh.append(fetch(conn, page, host, fresh=True))
            process.append(search.timed([journal, "search", "--json", info["rare"]], cwd=repo, env=env))
        for path in [p for p in args.afresh.split(",") if p]:
            fetch(conn, path, host)
            made = [fetch(conn, path, host, fresh=True) for _ in range(min(args.runs, 10))]
            print(f"<!-- {size:,} entries: {path} made afresh, median {search.median_ms(made):.1f} ms "
                  f"over {len(made)} -->", flush=True)
        status = open(f"/proc/{server.pid}/status").read()
        mem = {l.split(":")[0]: int(l.split()[1]) // 1024 for l in status.splitlines() if l.startswith(("VmRSS", "VmHWM"))}
        conn.close()
        server.terminate()
        server.wait()
        print(f"| {size:,} | {search.median_ms(timeline):.1f} ms | {watch.pct(timeline, 95) * 1000:.1f} ms | "
              f"{search.median_ms(searched):.1f} ms | {watch.pct(searched, 95) * 1000:.1f} ms | "
              f"{search.median_ms(timeline_fresh):.1f} ms | {watch.pct(timeline_fresh, 95) * 1000:.1f} ms | "
              f"{search.median_ms(searched_fresh):.1f} ms | {watch.pct(searched_fresh, 95) * 1000:.1f} ms | "
              f"{search.median_ms(process):.1f} ms | {watch.pct(process, 95) * 1000:.1f} ms | "
              f"{mem['VmRSS']} MB ({mem['VmHWM']} MB) |", flush=True)


if __name__ == "__main__":
    main()
