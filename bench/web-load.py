#!/usr/bin/env python3
"""Benchmark: `journal serve` under 50 concurrent clients over a mix of every page.

On bench/search.py's corpus (gen-corpus.py, seed 42) of --size entries, a copy of the
repository per binary (each its own index), one `journal serve` each (its own watcher, as by
default), warmed by one request per page. Then --clients threads on loopback, each sending
--requests requests over its own kept-alive connection, cycling through a mix of every page:
the timeline, a search, an entry, the metrics, the confidence page and both documents.
Requests say `Accept-Encoding: gzip`, as every browser does (--identity: they do not); a
request is timed from sent to the last byte of the response as sent (not decompressed).
Reports requests per second, median and p95 latency, failures, and the server's RSS (now and
peak). Bounded in count; stops by itself.

    cargo build --release
    python3 bench/web-load.py --size 10000
    python3 bench/web-load.py --size 10000 --journal /tmp/old-target/release/journal
"""

import argparse
import http.client
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import search  # noqa: E402  (the corpus set-up)
import watch  # noqa: E402  (status polling, /proc figures)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=14, help="per client")
    parser.add_argument("--identity", action="store_true", help="ask for uncompressed responses")
    parser.add_argument("--settle", type=float, default=12.0,
                        help="seconds to wait after the load before the last RSS (tokio's idle threads end after 10 s)")
    parser.add_argument("--work", default="/tmp/journal-search-bench")
    parser.add_argument("--journal", default=str(search.ROOT / "target" / "release" / "journal"))
    args = parser.parse_args()
    journal = str(Path(args.journal).resolve())
    info = search.setup(args.size, Path(args.work), str(search.ROOT / "target" / "release" / "journal"), False)
    repo = Path(args.work) / f"load-{os.getpid()}"
    subprocess.run(["cp", "-a", info["repo"], str(repo)], check=True)
    shutil.rmtree(repo / ".git" / "journal", ignore_errors=True)
    env = dict(os.environ, JOURNAL_DIR=str(repo))
    server = subprocess.Popen([journal, "serve", "--port", "0"], cwd=repo, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = server.stdout.readline().strip().removeprefix("Serving ")
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        host = f"localhost:{port}"
        watch.wait("the server's watcher", lambda: watch.status(journal, str(repo), env).get("watcher", {}).get("state") == "running")
        first = next((repo / "journal").glob("*/*/*.md")).stem
        headers = {"Host": host, "Accept-Encoding": "identity" if args.identity else "gzip, deflate, br"}
        mix = ["/", f"/search?q={info['rare']}", f"/entries/{first}", "/metrics", "/confidence",
               "/documents/INTEGRATION-FINDINGS", "/documents/ARCHITECTURAL-DECISIONS"]
        for path in mix:  # warm: one of each
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            conn.request("GET", path, headers=headers)
            conn.getresponse().read()
        times, failures, lock = [], [0], threading.Lock()

        def client(n):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            for i in range(args.requests):
                path = mix[(n + i) % len(mix)]
                start = time.perf_counter()
                try:
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    ok = response.status == 200
                except Exception:
                    ok = False
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
                took = time.perf_counter() - start
                with lock:
                    times.append(took)
                    failures[0] += not ok

        start = time.perf_counter()
        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - start
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        _, mem = watch.proc_stat(server.pid)
        # mimalloc gives freed memory back on later allocation activity, after a delay: one
        # more request after a pause shows what a server that goes on serving holds.
        time.sleep(args.settle)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", "/", headers=headers)
        conn.getresponse().read()
        time.sleep(0.5)
        conn.request("GET", "/", headers=headers)
        conn.getresponse().read()
        _, settled = watch.proc_stat(server.pid)
        print(f"{args.size:,} entries, {args.clients} clients x {args.requests} requests over {len(mix)} pages "
              f"({journal}): {len(times) / wall:.0f} req/s, median {statistics.median(times) * 1000:.1f} ms, "
              f"p95 {p95 * 1000:.1f} ms, {'identity' if args.identity else 'gzip accepted'}, {failures[0]} failed, RSS {mem['VmRSS']:.0f} MB "
              f"(peak {mem['VmHWM']:.0f} MB; {mem.get('RssAnon', 0):.0f} MB anonymous, {mem.get('RssFile', 0):.0f} MB mapped files), "
              f"RSS {settled['VmRSS']:.0f} MB after {args.settle:.0f} s idle and two more requests")
    finally:
        server.terminate()
        server.wait(timeout=60)
        shutil.rmtree(repo, ignore_errors=True)


if __name__ == "__main__":
    main()
