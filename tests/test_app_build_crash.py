"""Crash safety of `policykg build`: a killed build never leaves a lock nobody can take, nor its
staging folder behind."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from app.build import BuildError, _build_lock, build

ROOT = Path(__file__).resolve().parent.parent
PLAN = "山西省示范工作方案\n一、总体要求\n（一）目标。到2025年，绿电占比达到50%。（省能源局）\n"

# A build that holds the lock and has started a worker process (as the ingest pool does), then waits.
_HOLDER = textwrap.dedent("""
    import multiprocessing, sys, time
    from pathlib import Path
    from app.build import _build_lock

    def work():
        time.sleep(120)

    if __name__ == "__main__":
        with _build_lock(Path(sys.argv[1])):
            worker = multiprocessing.get_context("fork").Process(target=work)
            worker.start()
            print(worker.pid, flush=True)
            time.sleep(120)
""")


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(PLAN, encoding="utf-8")
    return corpus


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:   # a zombie is gone for our purposes
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")
    except (OSError, IndexError):
        return True


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_build_leaves_no_lock_behind_even_with_workers(tmp_path, sig):
    corpus, out = _corpus(tmp_path), tmp_path / "data"
    script = tmp_path / "holder.py"
    script.write_text(_HOLDER, encoding="utf-8")
    holder = subprocess.Popen([sys.executable, str(script), str(out)], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    worker = int(holder.stdout.readline())
    with pytest.raises(BuildError, match=f"another build \\(process {holder.pid}"):
        build(corpus, out, stages=False)
    holder.send_signal(sig)
    holder.wait(10)
    deadline = time.monotonic() + 10
    while not _gone(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(worker), "the build's worker outlived it"
    report = build(corpus, out, stages=False)        # the lock is free again
    assert len(report.documents) == 1


def test_the_lock_is_free_after_a_build_in_this_process(tmp_path):
    corpus, out = _corpus(tmp_path), tmp_path / "data"
    build(corpus, out, stages=False)
    with _build_lock(out):
        pass
    assert (tmp_path / ".data.lock").read_text() == ""


def test_staging_folders_of_killed_builds_are_removed_by_the_next_build(tmp_path):
    corpus, out = _corpus(tmp_path), tmp_path / "data"
    build(corpus, out, stages=False)
    versions = tmp_path / ".data.versions"
    stale = versions / "tmp-20200101T000000-deadbeef"
    (stale / "documents").mkdir(parents=True)
    (stale / "documents" / "x.json").write_text("{}", encoding="utf-8")
    os.symlink("nowhere", tmp_path / ".data.link-99999")
    build(corpus, out, stages=False)
    assert not list(versions.glob("tmp-*"))
    assert not (tmp_path / ".data.link-99999").is_symlink()
    assert (out / "manifest.json").exists()


def test_a_worker_killed_by_the_system_refuses_only_its_file(tmp_path, monkeypatch):
    import ingest.pipeline

    real = ingest.pipeline.parse_document

    def parse_or_die(path, *args, **kwargs):
        if "killer" in str(path):
            os.kill(os.getpid(), signal.SIGKILL)      # what the kernel's OOM killer does
        return real(path, *args, **kwargs)

    monkeypatch.setattr(ingest.pipeline, "parse_document", parse_or_die)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n, name in enumerate(["示范", "试点", "推广", "深化", "巩固"]):
        (corpus / f"plan{n}.txt").write_text(PLAN.replace("示范", name), encoding="utf-8")
    (corpus / "plan2-killer.txt").write_text(PLAN.replace("示范", "杀手"), encoding="utf-8")
    report = build(corpus, tmp_path / "data", stages=False, workers=2)
    assert sorted(Path(d["file"]).name for d in report.documents.values()) == [f"plan{n}.txt" for n in range(5)]
    assert len(report.refused) == 1 and "plan2-killer.txt" in report.refused[0] and "killed" in report.refused[0]
