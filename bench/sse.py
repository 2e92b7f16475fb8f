#!/usr/bin/env python3
"""Benchmark: `journal serve` holding N open live connections (/events), as N open pages do.

Builds the demo journal, starts the server (its own watcher inside), opens N connections
to /events on loopback and reads each one's first event, then reports the server's RSS
(/proc/PID/status VmRSS), its thread count, and that a file written then reaches every
connection as a `change` event (and how long the last one took). Loopback only; the
connections are closed at the end.

    cargo build --release
    python3 bench/sse.py --clients 300
"""

import argparse
import os
import selectors
import sys
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import watch  # noqa: E402  (/proc figures)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--journal", default=str(ROOT / "target" / "release" / "journal"))
    parser.add_argument("--clients", type=int, default=300)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="journal-sse-"))
    env = dict(os.environ, GIT_AUTHOR_NAME="B", GIT_AUTHOR_EMAIL="b@example.org",
               GIT_COMMITTER_NAME="B", GIT_COMMITTER_EMAIL="b@example.org")
    subprocess.run([args.journal, "demo", work / "demo"], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = subprocess.Popen([args.journal, "serve", "--port", "0"], cwd=work / "demo", env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = server.stdout.readline().strip().removeprefix("Serving ")
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    idle_rss = watch.proc_stat(server.pid)[1]["VmRSS"]
    sel = selectors.DefaultSelector()
    conns = []
    for _ in range(args.clients):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(f"GET /events HTTP/1.1\r\nHost: localhost:{port}\r\nAccept: text/event-stream\r\n\r\n".encode())
        conns.append(s)
    pending = {s: b"" for s in conns}
    for s in conns:
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
    deadline = time.monotonic() + 60
    ready = set()
    while len(ready) < len(conns) and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=1):
            data = key.fileobj.recv(65536)
            pending[key.fileobj] += data
            if b"event: ready" in pending[key.fileobj]:
                ready.add(key.fileobj)
    time.sleep(1)
    rss = watch.proc_stat(server.pid)[1]["VmRSS"]
    threads = len(os.listdir(f"/proc/{server.pid}/task"))
    # One entry written: every connection gets a `change`.
    entry = work / "demo" / "journal" / "2026" / "12" / "20261202T120000Z-bench-change.md"
    entry.parent.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    entry.write_text("---\ndate: 2026-12-02T12:00:00Z\ntitle: Bench change\n---\nBody.\n")
    changed = set()
    while len(changed) < len(conns) and time.monotonic() < start + 30:
        for key, _ in sel.select(timeout=1):
            data = key.fileobj.recv(65536)
            pending[key.fileobj] += data
            if b"event: change" in pending[key.fileobj]:
                changed.add(key.fileobj)
    last = time.monotonic() - start
    print(f"{args.clients} open /events connections ({len(ready)} ready): server RSS {rss:.1f} MB "
          f"(idle {idle_rss:.1f} MB), {threads} threads; a change reached "
          f"{len(changed)} of them, the last after {last * 1000:.0f} ms")
    for s in conns:
        s.close()
    server.terminate()
    server.wait(timeout=30)


if __name__ == "__main__":
    main()
