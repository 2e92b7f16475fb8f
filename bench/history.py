#!/usr/bin/env python3
"""Benchmark: the first sync of a repository's commits against `git log --name-only`.

Builds (once, cached under --work) a repository with --commits commits made by git
fast-import: an infrastructure-like tree (modules/terranix, hosts, vars, flake.lock), each
commit changing one to three files, a lock-file bot's commit every tenth, a side branch and a
remote-tracking ref. Then, alternated in one run, it times:
- `git log --branches --remotes --name-only` (what it takes git to list each commit with its
  changed paths), and
- `journal reindex` on a journal there with no entries (the first history sync: every commit
  walked, diffed against its first parent, stored in SQLite and indexed),
and reports medians and the ratio.

    cargo build --release
    python3 bench/history.py --commits 8600 --runs 7
"""

import argparse
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "PATH": "/usr/bin:/bin"}


def git(repo, *args, **kw):
    return subprocess.run(["git", "-C", str(repo), *args], check=True, env=ENV, **kw)


def build(repo, count):
    """Writes `count` commits with git fast-import (deterministic)."""
    rng = random.Random(8600)
    git(repo.parent, "init", "-q", "-b", "main", repo.name)
    dirs = ["modules/terranix", "modules/hosts/cinnabar", "modules/hosts/gcp-test", "vars",
            "modules/zerotier", "modules/flake-parts", "docs"]
    stream = []
    mark = 0
    when = 1_700_000_000
    for i in range(count):
        mark += 1
        when += 3600
        bot = i % 10 == 9
        if bot:
            files = ["flake.lock"]
            subject = f"Update flake input: terranix ({i})"
            who = "github-actions[bot] <bot@example.org>"
        else:
            files = [f"{rng.choice(dirs)}/f{rng.randrange(200)}.nix" for _ in range(rng.randint(1, 3))]
            subject = f"{files[0].split('/')[1]}: change {i}"
            who = "Ops <ops@example.org>"
        message = f"{subject}\n\nWhy: step {i} of the rollout.\n".encode()
        stream.append(f"commit refs/heads/main\nmark :{mark}\nauthor {who} {when} +0000\n"
                      f"committer {who} {when} +0000\ndata {len(message)}\n".encode() + message)
        if mark > 1:
            stream.append(f"from :{mark - 1}\n".encode())
        for path in files:
            blob = f"# {path} at {i}\n{rng.random()}\n".encode()
            stream.append(f"M 100644 inline {path}\ndata {len(blob)}\n".encode() + blob + b"\n")
        stream.append(b"\n")
    subprocess.run(["git", "-C", str(repo), "fast-import", "--quiet"], input=b"".join(stream),
                   check=True, env=ENV)
    git(repo, "checkout", "-q", "main")
    git(repo, "branch", "side", "main~100")
    git(repo, "update-ref", "refs/remotes/origin/main", "main~10")
    (repo / "journal.toml").write_text('entries = "journal"\ncommit = false\n')
    (repo / "journal").mkdir()


def timed(cmd, cwd):
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commits", type=int, default=8600)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--work", default="/tmp/journal-history-bench")
    parser.add_argument("--journal", default=str(ROOT / "target" / "release" / "journal"))
    args = parser.parse_args()
    if not Path(args.journal).is_file():
        sys.exit(f"error: {args.journal} not found: run `cargo build --release` first")
    repo = Path(args.work) / f"repo-{args.commits}"
    if not repo.exists():
        repo.parent.mkdir(parents=True, exist_ok=True)
        build(repo, args.commits)
    log = ["git", "log", "--branches", "--remotes", "--name-only", "--format=%H %an <%ae> %s%n%b"]
    reindex = [args.journal, "reindex"]
    timed(log, repo)
    timed(reindex, repo)
    times = {"git": [], "journal": []}
    for _ in range(args.runs):
        times["git"].append(timed(log, repo))
        times["journal"].append(timed(reindex, repo))
    git_ms = statistics.median(times["git"]) * 1000
    journal_ms = statistics.median(times["journal"]) * 1000
    print(f"{args.commits} commits, {args.runs} alternated runs, medians")
    print("| git log --branches --remotes --name-only | journal reindex (first history sync) | ratio |")
    print("|---:|---:|---:|")
    print(f"| {git_ms:.0f} ms | {journal_ms:.0f} ms | {journal_ms / git_ms:.2f} |")


if __name__ == "__main__":
    main()
