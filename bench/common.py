"""What every benchmark here shares: the machine, memory probes, latency summaries, child runs.

Memory is read from ``/proc/self/status``: ``VmRSS`` now and ``VmHWM`` (the
peak).  :class:`PeakDelta` resets the peak (``/proc/self/clear_refs``) before a
step, so one process can say how much a single step raised its resident set.

A child benchmark prints one JSON object a line as it goes; :func:`run_child`
merges the lines, so a child killed at its time limit still reports what it
finished.
"""
from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(os.environ.get("BENCH_RESULTS") or ROOT / "bench" / "results")
CORPUS_CLAUSES = 206          # clauses in corpus/ (five documents): one "copy" of the corpus
RSS_LIMIT_MB = float(os.environ.get("BENCH_RSS_LIMIT_MB") or 16_000)   # a child holding more is stopped:
                                                                      # the machine is shared (23.5 GiB in all)
LIBRARIES = ("jieba", "numpy", "scipy", "bm25s", "rank-bm25", "faiss-cpu", "rdflib", "pyoxigraph", "pyshacl")

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _status(field: str) -> float:
    """A ``/proc/self/status`` field in MB."""
    for line in open("/proc/self/status", encoding="ascii"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def rss_mb() -> float:
    return _status("VmRSS")


def peak_rss_mb() -> float:
    return _status("VmHWM")


class PeakDelta:
    """How far a step raised this process's resident set: ``peak_mb`` (peak − before), ``kept_mb`` (after − before)."""

    def __enter__(self) -> "PeakDelta":
        try:
            Path("/proc/self/clear_refs").write_text("5")   # VmHWM := VmRSS
        except OSError:
            pass
        self.before = rss_mb()
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self.started
        self.peak_mb = round(peak_rss_mb() - self.before)
        self.kept_mb = round(rss_mb() - self.before)


def children_peak_rss_mb() -> float:
    """The largest peak RSS of this process's finished children (worker processes)."""
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def latency(ms: list[float]) -> dict:
    """n, p50, p95 and max of latencies in milliseconds."""
    from bench_search import percentile

    return {"n": len(ms), "p50_ms": round(percentile(ms, 50), 2), "p95_ms": round(percentile(ms, 95), 2),
            "max_ms": round(max(ms), 2) if ms else 0.0}


def load_avg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def stamp() -> dict:
    """When a row was measured, of which code, and how busy the machine was."""
    return {"measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "commit": commit(), "load_avg": load_avg()}


def emit(**fields) -> None:
    """One JSON line for the parent (see :func:`run_child`)."""
    print(json.dumps(fields, ensure_ascii=False), flush=True)


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (worker processes included)."""
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in open(f"/proc/{p}/status", encoding="ascii"):
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
            for children in Path(f"/proc/{p}").glob("task/*/children"):
                todo += [int(c) for c in children.read_text().split()]
        except OSError:
            continue
    return total


def run_child(args: list[str], timeout: float | None = None, rss_limit_mb: float | None = RSS_LIMIT_MB,
              report_peak: bool = False) -> dict:
    """Run ``python <args>`` and merge the JSON lines it printed.

    The child (with its own children) is killed when it runs past ``timeout``
    seconds (``timed_out_s`` is set) or holds more than ``rss_limit_mb``
    (``killed_at_rss_mb``, after ``killed_after_s``); what it had reported is kept.
    With ``report_peak``, ``tree_peak_rss_mb`` is the most its process tree held, sampled every second."""
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, text=True, cwd=ROOT,
                            start_new_session=True)
    started, chunks, peak, verdict = time.perf_counter(), [], 0.0, {}
    while True:
        try:
            out, _ = proc.communicate(timeout=1.0)
            chunks.append(out)
            break
        except subprocess.TimeoutExpired:
            rss = tree_rss_mb(proc.pid)
            peak = max(peak, rss)
            elapsed = time.perf_counter() - started
            if timeout is not None and elapsed > timeout:
                verdict = {"timed_out_s": timeout}
            elif rss_limit_mb is not None and rss > rss_limit_mb:
                verdict = {"killed_at_rss_mb": round(rss), "killed_after_s": round(elapsed)}
            if verdict:
                os.killpg(proc.pid, 9)           # the child and its workers: its own session
                out, _ = proc.communicate()
                chunks.append(out)
                break
    merged: dict = {}
    for line in "".join(chunks).splitlines():
        if line.startswith("{"):
            merged.update(json.loads(line))
    if report_peak:
        merged["tree_peak_rss_mb"] = round(peak)
    if verdict:
        merged.update(verdict)
    elif proc.returncode:
        merged["error"] = f"exit status {proc.returncode}"
    return merged


def clauses_of(size: int | str) -> int:
    return CORPUS_CLAUSES if size == "corpus" else int(size)


def save_rows(path: Path, rows: list[dict]) -> dict:
    """Merge ``rows`` into the results file ``path``: a new row replaces the old one of the same ``size``."""
    previous = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    merged = {r["size"]: r for r in previous.get("rows", [])} | {r["size"]: r for r in rows}
    result = {"machine": machine(), "rows": sorted(merged.values(), key=lambda r: clauses_of(r["size"]))}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return result


def machine() -> dict:
    """nproc, CPU model, RAM, OS, Python and library versions, date and load."""
    info: dict[str, str] = {}
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            key, _, value = line.partition(":")
            info.setdefault(key.strip(), value.strip())
            if not line.strip():
                break                                 # the first processor is enough
    except OSError:
        pass
    model = info.get("model name", platform.processor())
    if info.get("cpu family"):
        model += f" (family {info['cpu family']} model {info.get('model')}, {float(info.get('cpu MHz', 0)):.0f} MHz"
        model += ", virtual machine)" if "hypervisor" in info.get("flags", "").split() else ")"
    libraries = {}
    for name in LIBRARIES:
        try:
            libraries[name] = version(name)
        except PackageNotFoundError:
            libraries[name] = None
    return {
        "nproc": len(os.sched_getaffinity(0)), "cpu": model, "commit": commit(),
        "ram_gib": round(_meminfo("MemTotal") / 2**20, 1), "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(), "libraries": libraries, **stamp(),
    }


def _meminfo(field: str) -> int:
    for line in open("/proc/meminfo", encoding="ascii"):
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def commit() -> str:
    """The code measured: ``BENCH_COMMIT`` (set for a snapshot), else git's HEAD (+ "-dirty")."""
    if os.environ.get("BENCH_COMMIT"):
        return os.environ["BENCH_COMMIT"]
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        return head + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
