#!/usr/bin/env python3
"""Times one MCP tool called N times over one `journal mcp` (stdio): JOURNAL REPO TOOL RUNS [ARGS-JSON].

    python3 bench/mcp-call.py target/release/journal /tmp/journal-search-bench/100000/ab-new journal_coverage 4
"""
import json, subprocess, sys, time, os
journal, repo, tool, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
args = json.loads(sys.argv[5]) if len(sys.argv) > 5 else {}
p = subprocess.Popen([journal, "mcp"], cwd=repo, env=dict(os.environ, JOURNAL_DIR=repo), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
def call(msg):
    p.stdin.write(json.dumps(msg) + "\n"); p.stdin.flush()
    if "id" not in msg: return None
    while True:
        line = p.stdout.readline()
        r = json.loads(line)
        if r.get("id") == msg["id"]: return r
call({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})
call({"jsonrpc":"2.0","method":"notifications/initialized"})
times = []
for i in range(runs):
    if os.environ.get("TOUCH") and i > 0:
        subprocess.run(os.environ["TOUCH"].replace("{i}", str(i)), shell=True, cwd=repo, check=True)
    t = time.perf_counter()
    r = call({"jsonrpc":"2.0","id":i+1,"method":"tools/call","params":{"name":tool,"arguments":args}})
    times.append((time.perf_counter() - t) * 1000)
    if "error" in r or r["result"].get("isError"): print("ERR", str(r)[:300])
print(" ".join(f"{t:.0f}" for t in times), "ms; size", len(json.dumps(r)))
p.stdin.close(); p.wait()
