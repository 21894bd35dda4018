#!/usr/bin/env python3
"""Load and recovery: the HTTP API under concurrent searches, and the time to build again after a
build was killed.

    python bench/bench_load.py --data /tmp/data                 # search load at concurrency 8 and 32
    python bench/bench_load.py --data /tmp/data --recovery /work/evalcorpus

Search load: ``policykg api`` (one uvicorn process) over ``--data``; each thread
sends the queries (``--queries``) round-robin to ``/search`` until ``--requests``
are done; throughput, p50/p95 latency and the number of non-200 answers per
concurrency.  Recovery: a build of ``--recovery`` into a fresh data folder is
killed (SIGKILL) once its ingest workers run; then the time until the lock is
free, and the time of the next build (which removes the killed build's staging
folder).  Results go to ``bench/results/load.json``.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "bench" / "queries_team.jsonl"
RESULTS = ROOT / "bench" / "results" / "load.json"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the API did not come up")


def search_load(data: Path, concurrency: int, requests: int, port: int, queries: list[str]) -> dict:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(requests))

    def worker() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for i in counter:
            path = "/search?" + urlencode({"q": queries[i % len(queries)], "k": 10})
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                conn, ok = http.client.HTTPConnection("127.0.0.1", port, timeout=60), False
            with lock:
                latencies.append(time.perf_counter() - started)
                errors += not ok

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    latencies.sort()
    return {"concurrency": concurrency, "requests": requests, "errors": errors, "seconds": round(seconds, 2),
            "per_second": round(requests / seconds, 1), "p50_ms": round(1000 * latencies[len(latencies) // 2], 1),
            "p95_ms": round(1000 * latencies[int(len(latencies) * 0.95)], 1), "load": os.getloadavg()[0]}


def recovery(corpus: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "data"
        build = [sys.executable, "-m", "app.cli", "build", "--corpus", str(corpus), "--out", str(out)]
        proc = subprocess.Popen(build, cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for line in proc.stdout:              # kill it while its ingest workers parse
            if "[5/" in line:
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed = time.perf_counter()
        staging = sum(f.stat().st_size for f in (Path(tmp) / ".data.versions").rglob("*") if f.is_file())
        import fcntl

        while True:
            with open(Path(tmp) / ".data.lock", "a+") as f:
                try:
                    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    fcntl.flock(f, fcntl.LOCK_UN)
                    break
                except BlockingIOError:
                    time.sleep(0.01)
        lock_free = time.perf_counter() - killed
        started = time.perf_counter()
        done = subprocess.run(build + ["-q"], cwd=ROOT, env=ENV, capture_output=True, text=True)
        rebuilt = time.perf_counter() - started
        left = [p.name for p in (Path(tmp) / ".data.versions").glob("tmp-*")]
    return {"lock_free_s": round(lock_free, 3), "staging_left_by_kill_mb": round(staging / 2**20, 1),
            "next_build_s": round(rebuilt, 1), "next_build_ok": done.returncode == 0, "staging_left_after": left,
            "load": os.getloadavg()[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path)
    parser.add_argument("--queries", type=Path, default=QUERIES, help="JSONL with a `query` field (default: %(default)s)")
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--concurrency", default="8,32")
    parser.add_argument("--recovery", type=Path, help="a corpus folder to build, kill and build again")
    args = parser.parse_args()
    results: dict = {}
    if args.data:
        queries = [json.loads(line)["query"] for line in args.queries.read_text(encoding="utf-8").splitlines() if line.strip()]
        port = _free_port()
        api = subprocess.Popen([sys.executable, "-m", "app.cli", "api", "--data", str(args.data), "--port", str(port)],
                               cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_for(port)
            search_load(args.data, 2, 40, port, queries)          # warm-up
            results["search"] = [search_load(args.data, int(c), args.requests, port, queries)
                                 for c in args.concurrency.split(",")]
        finally:
            api.terminate()
            api.wait(10)
    if args.recovery:
        results["recovery"] = recovery(args.recovery)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
