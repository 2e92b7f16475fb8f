#!/usr/bin/env python3
"""Benchmark: `journal mcp` (issue 15) against the `journal` process, side by side in one run.

On the corpora of bench/search.py (same cache), for each size:
- `journal_search` per call on a warm server (one `journal mcp` process, the calls one after
  the other, timed from the request written to the response read) against `journal search
  --json` as a process, alternated run by run: a rare word and a filter-only query, with no
  watcher at all (`journal mcp --no-watch`: each call checks the files itself), with the
  server's own watcher (`journal mcp`), and with `journal watch` running;
- `journal_add` per call against `journal add` as a process, alternated, in the corpus
  repository (its journal.toml has commit = false) and in a fresh journal that commits.
Medians and p95, and the ratios.

    cargo build --release
    python3 bench/mcp.py --sizes 10000,100000

Needs what bench/search.py needs to build its corpora (rg and sqlite3 are not used here).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import search  # noqa: E402  (the corpus set-up)
import watch  # noqa: E402  (status polling)


class Server:
    """A `journal mcp` process, spoken to in newline-delimited JSON-RPC."""

    def __init__(self, journal, repo, env, *flags):
        self.proc = subprocess.Popen([journal, "mcp", *flags], cwd=repo, env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                     bufsize=1)
        self.next_id = 0
        self.request("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                    "clientInfo": {"name": "bench", "version": "1"}})
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})

    def send(self, message):
        self.proc.stdin.write(json.dumps(message) + "\n")
        self.proc.stdin.flush()

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            message = json.loads(self.proc.stdout.readline())
            if message.get("id") == self.next_id:
                return message

    def call(self, tool, arguments):
        """Returns the seconds the call took; a failed call stops the benchmark."""
        start = time.perf_counter()
        result = self.request("tools/call", {"name": tool, "arguments": arguments})["result"]
        took = time.perf_counter() - start
        if result.get("isError"):
            sys.exit(f"error: {tool} failed: {result['content'][0]['text']}")
        return took

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def timed(cmd, cwd, env):
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def row(label, mcp, cli):
    m, c = search.median_ms(mcp), search.median_ms(cli)
    print(f"| {label} | {m:.1f} ms | {watch.pct(mcp, 95) * 1000:.1f} ms | {c:.1f} ms | "
          f"{watch.pct(cli, 95) * 1000:.1f} ms | {c / m:.1f}x |", flush=True)


def searches(server, journal, repo, env, info, runs, label):
    queries = [
        ("rare word", {"query": info["rare"]}, [info["rare"]]),
        ("`pattern: zerotier`", {"pattern": ["zerotier"]}, ["--pattern", "zerotier"]),
    ]
    for name, arguments, words in queries:
        mcp, cli = [], []
        server.call("journal_search", arguments)  # warm
        for _ in range(runs):
            mcp.append(server.call("journal_search", arguments))
            cli.append(timed([journal, "search", "--json", *words], repo, env))
        row(f"{label}: {name}", mcp, cli)


def adds(journal, repo, env, runs, label, *flags):
    server = Server(journal, repo, env, *flags)
    mcp, cli = [], []
    for i in range(runs):
        mcp.append(server.call("journal_add", {"title": f"bench mcp add {i} {time.time_ns()}",
                                               "provider": ["hetzner"]}))
        cli.append(timed([journal, "add", f"bench cli add {i} {time.time_ns()}", "--provider",
                          "hetzner"], repo, env))
    server.close()
    row(label, mcp, cli)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--add-runs", type=int, default=15)
    parser.add_argument("--work", default="/tmp/journal-search-bench")
    parser.add_argument("--journal", default=str(search.ROOT / "target" / "release" / "journal"))
    args = parser.parse_args()
    journal = str(Path(args.journal).resolve())
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    identity = {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "b@e", "GIT_COMMITTER_NAME": "Bench",
                "GIT_COMMITTER_EMAIL": "b@e"}

    print("| measure | MCP median | MCP p95 | process median | process p95 | process / MCP |")
    print("|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp, "repo")
        repo.mkdir()
        subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
        env = dict(os.environ, **identity)
        subprocess.run([journal, "init"], cwd=repo, env=env, check=True, capture_output=True)
        adds(journal, str(repo), env, args.add_runs, "add, new journal (commits)", "--no-watch")

    for size in [int(s) for s in args.sizes.split(",")]:
        info = search.setup(size, work, journal, False)
        repo = info["repo"]
        env = dict(os.environ, JOURNAL_DIR=repo, **identity)
        subprocess.run([journal, "search", info["rare"]], cwd=repo, env=env, capture_output=True)
        server = Server(journal, repo, env, "--no-watch")
        searches(server, journal, repo, env, info, args.runs, f"{size:,}, no watcher")
        server.close()
        server = Server(journal, repo, env)
        watch.wait("the server's watcher", lambda: watch.status(journal, repo, env).get("watcher", {}).get("state") == "running")
        searches(server, journal, repo, env, info, args.runs, f"{size:,}, the server's watcher")
        server.close()
        watch.wait("the server's watcher to stop", lambda: watch.status(journal, repo, env).get("watcher", {}).get("state") == "not running")
        server = Server(journal, repo, env)
        log = open(Path(work, f"mcp-watch-{size}.log"), "w")
        watcher = subprocess.Popen([journal, "watch"], cwd=repo, env=env, stderr=log, stdout=subprocess.DEVNULL)
        watch.wait("the watcher", lambda: watch.status(journal, repo, env).get("watcher", {}).get("state") == "running")
        searches(server, journal, repo, env, info, args.runs, f"{size:,}, `journal watch` running")
        server.close()
        adds(journal, repo, env, args.add_runs, f"{size:,}, add (`journal watch` running, no commit)")
        watcher.terminate()
        watcher.wait()
        log.close()
        for path in Path(repo, "journal").glob("*/*/*-bench-*-add-*.md"):
            path.unlink()
        subprocess.run([journal, "search", info["rare"]], cwd=repo, env=env, capture_output=True)


if __name__ == "__main__":
    main()
