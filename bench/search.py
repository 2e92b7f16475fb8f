#!/usr/bin/env python3
"""Benchmark: `journal search` and `journal reindex` against ripgrep, SQLite FTS5 and jrnl.

For each size it builds a corpus with ../shared/bench/gen-corpus.py (also as a jrnl journal),
a journal over it, and an FTS5 table of the same title and body text. Then it times, command
by command with the peers alternated in one run:
- a rare word, a common word (top 20) and a filter-only query (`--pattern zerotier`), against
  `rg -l -i -w WORD`, an FTS5 MATCH through the sqlite3 CLI, and jrnl where installed;
- the freshness check: a search with nothing changed, and right after one file was edited;
- `journal reindex` against building the FTS5 table;
and reports medians, ratios and peak memory.

    cargo build --release
    python3 bench/search.py --sizes 1000,10000,100000

Needs rg, sqlite3 (apt-get install ripgrep sqlite3) and optionally jrnl (pip install jrnl).
Work files are cached under --work (default /tmp/journal-search-bench).
"""

import argparse
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEN = ROOT.parent / "shared" / "bench" / "gen-corpus.py"


def sh(cmd, cwd=None, **kw):
    return subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)


def vocabulary(corpus):
    """Returns the providers, patterns and kinds the corpus uses, for journal.toml."""
    values = {"provider": set(), "pattern": set(), "kind": set()}
    for path in corpus.glob("*/*/*.md"):
        front = path.read_text(encoding="utf-8").split("---\n", 2)[1]
        for line in front.splitlines():
            m = re.match(r"^(provider|pattern|kind): \[?([^\]]*)\]?$", line)
            if m:
                values[m.group(1)].update(v.strip() for v in m.group(2).split(",") if v.strip())
    return {k: sorted(v) for k, v in values.items()}


def setup(size, work, journal, fresh):
    base = work / str(size)
    ready = base / "ready.json"
    if ready.exists() and not fresh:
        return json.loads(ready.read_text())
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    corpus = base / "corpus"
    jrnl_file = base / "jrnl.txt"
    out = subprocess.run([sys.executable, str(GEN), "--count", str(size), "--out", str(corpus),
                          "--jrnl", str(jrnl_file)], check=True, capture_output=True, text=True)
    manifest = json.loads((corpus / ".manifest.json").read_text())
    repo = base / "repo"
    repo.mkdir()
    sh(["git", "init", "-q", "-b", "main"], cwd=repo)
    vocab = vocabulary(corpus)
    toml = "entries = \"journal\"\ncommit = false\n\n[vocabulary]\n" + "".join(
        f"{k}s = {json.dumps(v)}\n" for k, v in vocab.items())
    (repo / "journal.toml").write_text(toml)
    shutil.copytree(corpus, repo / "journal", ignore=shutil.ignore_patterns(".manifest.json"))
    (base / "jrnl.yaml").write_text(
        f"journals:\n  default:\n    journal: {jrnl_file}\nencrypt: false\ncolors:\n  body: none\n  date: none\n  tags: none\n  title: none\n"
        "default_hour: 9\ndefault_minute: 0\neditor: ''\nhighlight: false\nindent_character: '|'\nlinewrap: 79\n"
        "tagsymbols: '#@'\ntemplate: false\ntimeformat: '%F %r'\nversion: v4.2\n")
    info = {"repo": str(repo), "fts": str(base / "fts.sqlite"), "jrnl_config": str(base / "jrnl.yaml"),
            "rare": manifest["rare_word"], "common": manifest["common_word"]}
    ready.write_text(json.dumps(info))
    return info


def fts_build(repo, db):
    """Builds an FTS5 table of every entry's title and body, reading the files."""
    Path(db).unlink(missing_ok=True)
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE entries USING fts5(title, body, tokenize='porter')")
    rows = []
    for path in sorted(Path(repo, "journal").glob("*/*/*.md")):
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        title = next((l[7:] for l in front.splitlines() if l.startswith("title: ")), "")
        rows.append((title, body))
    con.executemany("INSERT INTO entries (title, body) VALUES (?, ?)", rows)
    con.commit()
    con.close()


def timed(cmd, cwd=None, env=None):
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def peak_kb(cmd, cwd):
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, cwd=cwd, capture_output=True, text=True)
    return int(out.stderr.strip().splitlines()[-1])


def median_ms(xs):
    return statistics.median(xs) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--jrnl-runs", type=int, default=3)
    parser.add_argument("--rebuild-runs", type=int, default=0, help="reindex/FTS5 pairs (default 5, 3 at 100,000)")
    parser.add_argument("--work", default="/tmp/journal-search-bench")
    parser.add_argument("--journal", default=str(ROOT / "target" / "release" / "journal"))
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    journal = str(Path(args.journal).resolve())
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    have_jrnl = shutil.which("jrnl") is not None
    for tool in ("rg", "sqlite3"):
        if shutil.which(tool) is None:
            sys.exit(f"error: {tool} not found: apt-get install ripgrep sqlite3")

    for size in [int(s) for s in args.sizes.split(",")]:
        info = setup(size, work, journal, args.fresh)
        repo, fts = info["repo"], info["fts"]
        env = dict(os.environ, JOURNAL_DIR=repo)
        # Reindex against the FTS5 bulk build, alternated.
        rebuild = {"journal reindex": [], "FTS5 build": []}
        for _ in range(args.rebuild_runs or (3 if size >= 100000 else 5)):
            rebuild["journal reindex"].append(timed([journal, "reindex"], cwd=repo))
            start = time.perf_counter()
            fts_build(repo, fts)
            rebuild["FTS5 build"].append(time.perf_counter() - start)
        reindex_kb = peak_kb([journal, "reindex"], repo)

        queries = {
            "rare word": ([journal, "search", info["rare"], "--limit", "20"],
                          ["rg", "-l", "-i", "-w", info["rare"], "journal"],
                          ["sqlite3", fts, f"SELECT rowid FROM entries WHERE entries MATCH '{info['rare']}' ORDER BY rank LIMIT 20"],
                          ["jrnl", "--config-file", info["jrnl_config"], "-n", "20", "-contains", info["rare"]]),
            "common word": ([journal, "search", info["common"], "--limit", "20"],
                            ["rg", "-l", "-i", "-w", info["common"], "journal"],
                            ["sqlite3", fts, f"SELECT rowid FROM entries WHERE entries MATCH '{info['common']}' ORDER BY rank LIMIT 20"],
                            ["jrnl", "--config-file", info["jrnl_config"], "-n", "20", "-contains", info["common"]]),
            "filter --pattern zerotier": ([journal, "search", "--pattern", "zerotier", "--limit", "20"],
                                          ["rg", "-l", "-i", "-w", "zerotier", "journal"],
                                          ["sqlite3", fts, "SELECT rowid FROM entries WHERE entries MATCH 'zerotier' LIMIT 20"],
                                          None),
        }
        timed([journal, "search", info["rare"]], cwd=repo)  # warm the page cache and the index
        print(f"\n## {size:,} entries\n")
        print("| query | journal | rg -l -i -w | ratio rg/journal | FTS5 (sqlite3 CLI) | jrnl |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, (j, rg, fts_cmd, jr) in queries.items():
            t = {"j": [], "rg": [], "fts": [], "jrnl": []}
            for i in range(args.runs):
                t["j"].append(timed(j, cwd=repo))
                t["rg"].append(timed(rg, cwd=repo))
                t["fts"].append(timed(fts_cmd, cwd=repo))
                if jr and have_jrnl and i < args.jrnl_runs:
                    t["jrnl"].append(timed(jr, cwd=repo))
            jr_text = f"{median_ms(t['jrnl']):.0f} ms" if t["jrnl"] else "n/a"
            print(f"| {name} | {median_ms(t['j']):.1f} ms | {median_ms(t['rg']):.1f} ms | "
                  f"{median_ms(t['rg']) / median_ms(t['j']):.1f}x | {median_ms(t['fts']):.1f} ms | {jr_text} |", flush=True)

        # Freshness: nothing changed, then one file edited before each run.
        victim = sorted(Path(repo, "journal").glob("*/*/*.md"))[size // 2]
        original = victim.read_text()
        unchanged, edited = [], []
        for i in range(args.runs):
            unchanged.append(timed([journal, "search", "--pattern", "zerotier", "--limit", "1"], cwd=repo))
            victim.write_text(original + f"\nEdit {i}.\n")
            edited.append(timed([journal, "search", "--pattern", "zerotier", "--limit", "1"], cwd=repo))
        victim.write_text(original)
        search_kb = peak_kb([journal, "search", info["common"], "--limit", "20"], repo)
        print(f"\n| freshness | median |\n|---|---:|\n"
              f"| search, nothing changed | {median_ms(unchanged):.1f} ms |\n"
              f"| search, one file edited just before | {median_ms(edited):.1f} ms |")
        r, f = median_ms(rebuild["journal reindex"]), median_ms(rebuild["FTS5 build"])
        print(f"\n| rebuild | median |\n|---|---:|\n| journal reindex | {r / 1000:.2f} s |\n"
              f"| FTS5 build (Python sqlite3, reading the files) | {f / 1000:.2f} s |\n| ratio | {r / f:.2f} |")
        print(f"\nPeak memory: search {search_kb / 1024:.0f} MB, reindex {reindex_kb / 1024:.0f} MB.", flush=True)


if __name__ == "__main__":
    main()
