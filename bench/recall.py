#!/usr/bin/env python3
"""Recall benchmark (issue 24): does `journal search` find every entry and commit git finds?

Builds, in a temporary folder, a repository whose journal holds entries and whose history holds
commits written from one corpus of deployment notes full of what operators type: identifiers
(hcloud_server, luksFormat, LUKS2, HTTPServer), compounds (zerotier-one, sops-nix, clan-vars),
addresses (fd00::1, 10.0.0.1), paths (/etc/nixos/configuration.nix), ids and keys (a network
id, an age public key), mixed case. Then, for each of 30+ queries, side by side:

- entries: `journal search --json QUERY` against `git grep -i -w -l` over the entry files
  (a prefix query `word*` against `git grep -i -E '\\bword'`);
- commits: `journal search --commits --json QUERY` against `git log -i -F --grep=QUERY` (any
  commit whose message holds the string, inside a longer word too: `luks` in `LUKS2` and
  `luksFormat`; a prefix `word*` as the word at a word's start; the journal's own commits
  left out).

It prints, per query, the hits of each and what journal missed, and exits 1 when git finds
anything journal does not.

    cargo build --release
    python3 bench/recall.py [--journal target/release/journal] [--entries 240] [--commits 240]
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AGE_KEY = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"
NETWORK = "8056c2e21c000001"

# Sentences an operator writes; each note and commit message takes a few of them.
SENTENCES = [
    "Ran cryptsetup luksFormat on /dev/sda2 with LUKS2 before disko mounted it.",
    "The hcloud_server resource needs server_type cx32 for phase 1.",
    "LUKS unlock over initrd ssh on port 2222 works on Hetzner.",
    "zerotier-one joined network {net} and got fd00::1 as its address.",
    "GCP firewall drops UDP 9993 until the zerotier rule is added.",
    "sops-nix decrypts with the age key {age} on first boot.",
    "clan-vars generates the zerotier identity; the secret lands in vars/.",
    "Edited /etc/nixos/configuration.nix to pin the kernel to 6.6.",
    "The HTTPServer of the metrics exporter listens on 10.0.0.1:9100.",
    "terranix renders the google_compute_instance with nested virtualisation.",
    "Deploying with clan machines update took 4 minutes on the cx32.",
    "The IPv6 route fd00::/8 goes over the zerotier interface ztabcdef12.",
    "Tried luks2 token import for TPM unlock: needs-testing on GCP.",
    "nixos-anywhere installed the machine; disko-config.nix formats both disks.",
    "The ZeroTier controller at 10.147.17.1 answers only from the mesh.",
    "Secrets: clan vars set hetzner-api-token, never in the repository.",
    "Kernel module dm_crypt loads before the initrd network comes up.",
    "hcloud_firewall and hcloud_network were created by terraform apply.",
    "Rebuilt with nixos-rebuild switch --flake .#cinnabar in 3 minutes.",
    "Mixed Case Words like NixOS, ZeroTier and GCP must match lowercase queries.",
]

QUERIES = [
    "luks", "LUKS2", "luksFormat", "luks2", "cryptsetup", "hcloud_server", "hcloud", "server",
    "server_type", "cx32", "zerotier", "zerotier-one", "ZeroTier", "zerotier*", "sops-nix",
    "sops", "clan-vars", "vars", "fd00::1", "10.0.0.1", "10.147.17.1", "9993",
    "/etc/nixos/configuration.nix", "configuration.nix", "HTTPServer", "http", AGE_KEY, NETWORK,
    "terranix", "google_compute_instance", "nixos-anywhere", "disko-config.nix", "disko",
    "dm_crypt", "nixos", "NixOS", "firewall", "hetzner-api-token", "ztabcdef12", "initrd",
    "cinnabar", "hcloud*", "fd00::/8",
]


def run(cmd, cwd, env=None, check=True):
    out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if check and out.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)}: {out.stderr}")
    return out.stdout


def note(rng):
    text = " ".join(rng.sample(SENTENCES, 3)).format(net=NETWORK, age=AGE_KEY)
    return text


def build(repo, journal, entries, commits, env):
    rng = random.Random(24)
    run(["git", "init", "-q", "-b", "main"], repo, env)
    run(["git", "config", "user.name", "Ops"], repo, env)
    run(["git", "config", "user.email", "ops@example.org"], repo, env)
    run([journal, "init"], repo, env)
    lines = []
    for i in range(entries):
        title, body = note(rng).split(". ", 1)
        day = 1 + i % 28
        lines.append(json.dumps({
            "id": f"202610{day:02d}T{i % 24:02d}{i % 60:02d}00Z-note-{i}",
            "date": f"2026-10-{day:02d}T{i % 24:02d}:{i % 60:02d}:00Z",
            "title": title,
            "body": body,
            "provider": [rng.choice(["hetzner", "gcp"])],
        }))
    (repo / "notes.jsonl").write_text("\n".join(lines) + "\n")
    out = subprocess.run([journal, "import", "--from", "journal", "notes.jsonl"], cwd=repo,
                         env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"import: {out.stderr}")
    (repo / "notes.jsonl").unlink()
    for i in range(commits):
        subject, body = note(rng).split(". ", 1)
        path = repo / "infra" / f"file{i % 17}.nix"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"# {i}\n")
        run(["git", "add", "-A", "infra"], repo, env)
        run(["git", "commit", "-q", "-m", subject, "-m", body], repo, env)


def word_regex(query):
    """The query as `git grep -w` takes a fixed string: not inside a longer word."""
    return r"(?<![A-Za-z0-9_])" + re.escape(query) + r"(?![A-Za-z0-9_])"


def git_entries(repo, query, env):
    if query.endswith("*"):
        args = ["git", "grep", "-i", "-l", "-P", r"(?<![A-Za-z0-9_])" + re.escape(query[:-1])]
    else:
        args = ["git", "grep", "-i", "-l", "-w", "-F", "-e", query]
    files = run(args + ["--", "journal/"], repo, env).split()
    return {Path(f).stem for f in files}


def git_commits(repo, query, env):
    if query.endswith("*"):
        args = ["-P", "--grep=" + r"(?<![A-Za-z0-9_])" + re.escape(query[:-1])]
    else:
        args = ["-F", f"--grep={query}"]
    out = run(["git", "log", "-i", *args, "--format=%H %s"], repo, env)
    return {line.split()[0] for line in out.splitlines() if not line.split(" ", 1)[1].startswith("journal:")}


def journal_ids(repo, journal, query, scope, env):
    args = [journal, "search", "--json", "--limit", "100000", query] + (["--commits"] if scope else [])
    out = subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True)
    if out.returncode not in (0,):
        return None, out.stderr.strip().splitlines()[0] if out.stderr.strip() else f"exit {out.returncode}"
    ids = set()
    for line in out.stdout.splitlines():
        hit = json.loads(line)
        if "id" in hit:
            ids.add(hit["id"].rsplit(":", 1)[-1])
    return ids, None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--journal", default=str(ROOT / "target/release/journal"))
    parser.add_argument("--entries", type=int, default=240)
    parser.add_argument("--commits", type=int, default=240)
    args = parser.parse_args()
    journal = str(Path(args.journal).resolve())
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        repo.mkdir()
        env = dict(os.environ, HOME=tmp, GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1",
                   TZ="UTC", GIT_AUTHOR_DATE="2026-10-05T09:00:00Z", GIT_COMMITTER_DATE="2026-10-05T09:00:00Z")
        build(repo, journal, args.entries, args.commits, env)
        print(f"{args.entries} entries, {args.commits} commits; journal: {journal}\n")
        print(f"{'query':<34} {'entries git':>11} {'journal':>8} {'missed':>6}   {'commits git':>11} {'journal':>8} {'missed':>6}")
        failures = 0
        for query in QUERIES:
            row = []
            for scope, git in ((False, git_entries), (True, git_commits)):
                expected = git(repo, query, env)
                found, error = journal_ids(repo, journal, query, scope, env)
                if found is None:
                    row.append((len(expected), error, len(expected)))
                    failures += 1
                    continue
                missed = expected - found
                failures += bool(missed)
                row.append((len(expected), len(found), len(missed)))
            shown = query if len(query) <= 32 else query[:29] + "..."
            (ge, je, me), (gc, jc, mc) = row
            je = je if isinstance(je, int) else "error"
            jc = jc if isinstance(jc, int) else "error"
            print(f"{shown:<34} {ge:>11} {je:>8} {me:>6}   {gc:>11} {jc:>8} {mc:>6}")
        print(f"\n{len(QUERIES)} queries; {'no query where git finds more' if not failures else f'{failures} where git finds more (or journal failed)'}")
        sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
