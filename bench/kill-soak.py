#!/usr/bin/env python3
"""Fault soak: `journal add` killed with SIGKILL at random moments (seeded), then checked.

The fault-matrix tests (tests/e2e/test_faults.rs) kill every writing command at each of its
fault points, deterministically. This script does what an operator's machine does instead:
it starts `journal add`, sends SIGKILL after a random delay (0 to --max-ms, seeded), then
runs the next command (`journal list`) and checks the repository as the tests do: `git
fsck`, `git status` clean, no git lock or journal temporary file left, the entry files on
disk are HEAD's, and a plain `git commit -a` would record no deletion. It reports how many
adds were killed before their commit, after it, or finished, and every check that failed.

    cargo build --release
    python3 bench/kill-soak.py --runs 60 --seed 7                   # this build
    python3 bench/kill-soak.py --runs 60 --seed 7 --journal OLD     # another build
"""

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def git(repo, *args, check=True):
    out = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)
    if check and out.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {out.stderr}")
    return out


def problems(repo):
    found = []
    if git(repo, "fsck", "--strict", "--no-dangling", check=False).returncode != 0:
        found.append("git fsck fails")
    status = git(repo, "status", "--porcelain", check=False).stdout
    if status.strip():
        found.append("git status: " + " | ".join(status.splitlines()[:3]))
    dot = repo / ".git"
    locks = [p.name for p in list(dot.glob("*.lock")) + list((dot / "refs" / "heads").glob("*.lock"))
             if p.name != "journal-write.lock"]
    if locks:
        found.append("locks left: " + ", ".join(locks))
    temps = [p.name for p in (repo / "journal").rglob("*.tmp")]
    if temps:
        found.append("temporary files left: " + ", ".join(temps))
    on_disk = sorted(str(p.relative_to(repo)) for p in (repo / "journal").rglob("*.md"))
    in_head = sorted(git(repo, "ls-tree", "-r", "--name-only", "HEAD", "--", "journal").stdout.split())
    if on_disk != in_head:
        found.append(f"{len(on_disk)} entry files on disk, {len(in_head)} in HEAD")
    index = set(git(repo, "ls-files", "--", "journal").stdout.split())
    missing = [p for p in in_head if p not in index]
    if missing:
        found.append(f"{len(missing)} committed entries missing from git's index (a `git commit` deletes them)")
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--journal", default=str(ROOT / "target" / "release" / "journal"))
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--max-ms", type=float, default=30.0)
    args = parser.parse_args()
    journal = str(Path(args.journal).resolve())
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="journal-kill-soak-"))
    repo = work / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Soak")
    git(repo, "config", "user.email", "soak@example.org")
    subprocess.run([journal, "init"], cwd=repo, check=True, capture_output=True)
    counts = {"killed before its commit": 0, "killed after its commit": 0, "finished": 0, "refused": 0}
    failures = []
    bad_runs = 0
    for i in range(args.runs):
        before = len(failures)
        head = git(repo, "rev-parse", "HEAD").stdout.strip()
        delay = rng.uniform(0, args.max_ms) / 1000
        child = subprocess.Popen([journal, "add", f"Soak observation {i}", "--provider", "hetzner"],
                                 cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(delay)
        try:
            os.kill(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _, stderr = child.communicate()
        moved = git(repo, "rev-parse", "HEAD").stdout.strip() != head
        if child.returncode == 0:
            counts["finished"] += 1
        elif child.returncode == -signal.SIGKILL:
            counts["killed after its commit" if moved else "killed before its commit"] += 1
        else:
            counts["refused"] += 1
            failures.append(f"run {i}: exit {child.returncode}: {stderr.decode().strip()[:200]}")
        nxt = subprocess.run([journal, "list", "--limit", "1"], cwd=repo, capture_output=True, text=True)
        if nxt.returncode != 0:
            failures.append(f"run {i}: the next command failed: {nxt.stderr.strip()[:200]}")
        for problem in problems(repo):
            failures.append(f"run {i} (after {delay * 1000:.1f} ms): {problem}")
        bad_runs += len(failures) > before
    print(f"{args.runs} adds killed after 0-{args.max_ms:.0f} ms (seed {args.seed}), {journal}")
    for what, n in counts.items():
        print(f"  {what}: {n}")
    print(f"  runs after which a check failed: {bad_runs} of {args.runs}")
    # Leftovers stay until repaired: show each kind of failure once, at its first run.
    seen = set()
    for line in failures:
        kind = re.sub(r"[0-9a-f]{6,}|\d+|/tmp/\S+", "N", line.split(": ", 1)[1])[:60]
        if kind not in seen:
            seen.add(kind)
            print(f"    first: {line[:220]}")
    shutil.rmtree(work)
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
