#!/usr/bin/env python3
"""Benchmark: `journal compile` on synthetic journals of 1,000 to 100,000 entries (issues 5, 25).

Uses the corpora of bench/search.py (same cache, ../shared/bench/gen-corpus.py, seed 42), copied
into a fresh repository whose history has 300 commits pushed to a remote-tracking branch (the
remote URL is then pointed at GitHub, so links render). Every entry's `commits:` is rewritten to
cite 0-3 of those real commits, so each one is verified, and the entries are committed, as a
journal's are. Targets: 10,000 entries in under 1 s median (issue 5); 100,000 in 3 s and 500 MB
peak RSS (issue 25). Several binaries (`--journal a,b`) run alternately, for a side-by-side
figure on a noisy machine.

    cargo build --release
    python3 bench/compile.py --sizes 1000,10000 --runs 15
    python3 bench/compile.py --sizes 100000 --runs 5 --journal target/release/journal,/tmp/old-journal
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import search  # noqa: E402  (the corpus set-up)

COMMITS = 300
LATE = False
ENV = dict(os.environ, GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.org",
           GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.org")


def git(args, cwd, **kw):
    return subprocess.run(["git", *args], cwd=cwd, env=kw.get("env", ENV), check=True,
                          capture_output=True, text=True).stdout.strip()


def prepare(size, work, journal):
    info = search.setup(size, work, journal, False)
    base = work / (f"compile-{size}-late" if LATE else f"compile-{size}")
    if (base / ("ready-late" if LATE else "ready3")).exists():
        return base / "repo"
    shutil.rmtree(base, ignore_errors=True)
    repo = base / "repo"
    repo.mkdir(parents=True)
    git(["init", "-q", "-b", "main"], repo)
    # One fast-import stream: 300 commits in well under a second.
    stream = []
    for i in range(COMMITS):
        # Made before the corpus's first entry (2025), as evidence cited with `--commit HEAD`
        # is: with `--late` after every entry, each citation is an "evidence made after its
        # entry" warning (131,000 at 100,000 entries, the worst case for the checks).
        date = (1790000000 if LATE else 1700000000) + i * 3600
        msg = f"infra change {i}"
        stream.append(f"commit refs/heads/main\nmark :{i + 1}\ncommitter Bench <bench@example.org> {date} +0000\n"
                      f"data {len(msg)}\n{msg}\nM 644 inline modules/file{i % 20}.nix\ndata {len(msg) + 1}\n{msg}\n\n")
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input="".join(stream), text=True, check=True,
                   env=ENV)
    git(["reset", "-q", "--hard", "main"], repo)
    shas = git(["rev-list", "--reverse", "main"], repo).split()
    git(["init", "-q", "--bare", str(base / "remote.git")], repo)
    git(["remote", "add", "origin", str(base / "remote.git")], repo)
    git(["push", "-q", "origin", "main"], repo)
    git(["remote", "set-url", "origin", "git@github.com:bench/infra.git"], repo)
    src = Path(info["repo"])
    shutil.copy(src / "journal.toml", repo / "journal.toml")
    shutil.copytree(src / "journal", repo / "journal")
    pattern = re.compile(r"^commits: \[.*\]$", re.M)
    for n, path in enumerate(sorted((repo / "journal").rglob("*.md"))):
        text = path.read_text()
        cited = ", ".join(shas[(n * 7 + k * 13) % len(shas)] for k in range(n % 4))
        path.write_text(pattern.sub(f"commits: [{cited}]", text, count=1))
    (repo / ".gitignore").write_text("docs/\n")
    git(["add", "journal.toml", "journal", ".gitignore"], repo)
    git(["commit", "-q", "-m", "journal: the entries"], repo)
    (base / ("ready-late" if LATE else "ready3")).write_text("")
    return repo


def timed(cmd, cwd):
    """Runs `cmd`; returns its wall time and peak RSS (KB, from /usr/bin/time)."""
    start = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if out.returncode != 0:
        sys.exit(f"compile failed:\n{out.stderr[-2000:]}")
    return seconds, int(out.stderr.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--work", default="/tmp/journal-search-bench")
    parser.add_argument("--late", action="store_true",
                        help="evidence commits made after every entry (a warning per citation)")
    parser.add_argument("--journal", default=str(search.ROOT / "target" / "release" / "journal"),
                        help="the binary, or several separated by commas (run alternately)")
    args = parser.parse_args()
    global LATE
    LATE = args.late
    journals = [str(Path(j).resolve()) for j in args.journal.split(",")]
    work = Path(args.work)
    print("| entries | binary | compile median | min | max | peak RSS (max) | documents |\n"
          "|---:|---|---:|---:|---:|---:|---:|")
    for size in [int(s) for s in args.sizes.split(",")]:
        repo = prepare(size, work, journals[0])
        times = {j: [] for j in journals}
        rss = {j: [] for j in journals}
        for _ in range(args.runs):
            for journal in journals:
                seconds, kb = timed([journal, "compile", "--date", "2026-11-26"], repo)
                times[journal].append(seconds)
                rss[journal].append(kb)
        kb = sum(f.stat().st_size for f in (repo / "docs").glob("*.md")) // 1024
        for journal in journals:
            t = times[journal]
            print(f"| {size:,} | {journal} | {statistics.median(t) * 1000:.0f} ms | {min(t) * 1000:.0f} ms | "
                  f"{max(t) * 1000:.0f} ms | {max(rss[journal]) / 1024:.0f} MB | {kb:,} KB |", flush=True)


if __name__ == "__main__":
    main()
