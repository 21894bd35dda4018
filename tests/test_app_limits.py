"""Limits that keep one file from taking the machine: a .docx is checked for what it unpacks to before
it is parsed, and an upload is parsed in a child process with a memory and a time limit."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from app.service import PolicyService, UploadRefused
from ingest.errors import IngestError
from ingest.readers import read_source
from ingest.readers import archive

PARAGRAPH = "<w:p><w:r><w:t>（一）目标。到2025年，绿电占比达到50%。</w:t></w:r></w:p>"


def _docx(paragraphs: int) -> bytes:
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("山西省示范方案")
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml" and paragraphs:
                text = data.decode("utf-8")
                data = text.replace("</w:body>", PARAGRAPH * paragraphs + "</w:body>", 1).encode("utf-8")
            target.writestr(info.filename, data)
    return out.getvalue()


def test_a_docx_that_unpacks_far_beyond_its_size_is_refused_before_parsing(tmp_path):
    bomb = _docx(paragraphs=archive.MAX_PART // len(PARAGRAPH.encode()) + 10)
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb)
    assert len(bomb) < 1024 * 1024
    with pytest.raises(IngestError, match="word/document.xml unpacks to .* over the .* limit|zip bomb") as caught:
        read_source(path)
    assert "bomb.docx" in str(caught.value)


def test_a_high_ratio_part_is_refused_as_a_possible_zip_bomb(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_PART", 10**9)
    bomb = _docx(paragraphs=60_000)      # ~4 MB of XML packed a few hundred times
    path = tmp_path / "ratio.docx"
    path.write_bytes(bomb)
    with pytest.raises(IngestError, match="zip bomb"):
        read_source(path)


def test_an_ordinary_docx_still_reads(tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(_docx(paragraphs=20))
    assert "绿电占比达到50%" in read_source(path).text


@pytest.fixture
def published(published_data):
    return published_data


def test_an_upload_that_needs_too_much_memory_is_refused_with_the_reason(published, monkeypatch):
    from app.service import sandbox

    monkeypatch.setattr(sandbox, "PARSE_MEMORY", 64 * 1024 * 1024)   # less than any parse needs
    with pytest.raises(UploadRefused) as caught:
        PolicyService(published).add_document("plan.txt", "山西省新方案\n一、要求\n（一）目标。到2030年达到60%。\n".encode())
    assert caught.value.reason == "limits" and "MB of memory" in caught.value.detail


def test_an_upload_that_takes_too_long_is_stopped(published, monkeypatch):
    from app.service import sandbox

    monkeypatch.setattr(sandbox, "PARSE_SECONDS", 0.01)
    with pytest.raises(UploadRefused) as caught:
        PolicyService(published).add_document("plan.txt", "山西省新方案\n一、要求\n（一）目标。到2030年达到60%。\n".encode())
    assert caught.value.reason == "limits" and "longer than" in caught.value.detail


def test_a_docx_bomb_upload_is_refused_and_the_server_keeps_its_memory(published, tmp_path):
    import resource

    bomb = _docx(paragraphs=archive.MAX_PART // len(PARAGRAPH.encode()) + 10)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(UploadRefused) as caught:
        PolicyService(published).add_document("bomb.docx", bomb)
    assert caught.value.reason == "format" and "bomb.docx" in caught.value.detail
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024   # KB: the parse ran elsewhere
    assert str(tmp_path) not in caught.value.detail


def test_a_document_over_the_clause_cap_is_refused_and_the_rest_builds(tmp_path, monkeypatch):
    from app.build import build
    from ingest import limits

    monkeypatch.setattr(limits, "MAX_CLAUSES", 50)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("山西省示范方案\n一、总体要求\n（一）目标。到2025年，绿电占比达到50%。\n", encoding="utf-8")
    (corpus / "huge.txt").write_text("山西省超长方案\n" + "".join(f"{n}.第{n}项措施。\n" for n in range(1, 120)), encoding="utf-8")
    report = build(corpus, tmp_path / "data", stages=False)
    assert [Path(d["file"]).name for d in report.documents.values()] == ["good.txt"]
    assert len(report.refused) == 1
    assert re.fullmatch(r"huge\.txt: \d+ clauses, over the 50 limit of one document; split it", report.refused[0])


@pytest.mark.slow
def test_a_45_mb_text_of_820k_short_lines_is_refused_in_little_memory(tmp_path):
    import resource
    import subprocess
    import sys

    path = tmp_path / "lines.txt"
    with open(path, "w", encoding="utf-8") as f:
        for i in range(820_000):
            f.write(f"第{i}行，事项{i % 97}，说明文字说明文字。\n")
    assert path.stat().st_size > 40 * 2**20
    root = Path(__file__).resolve().parent.parent
    script = ("import sys\nfrom ingest.pipeline import parse_document\nfrom ingest.errors import IngestError\n"
              "try:\n    parse_document(sys.argv[1])\nexcept IngestError as e:\n    print(e.problem)\n")
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, cwd=root,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert "over the" in done.stdout and "limit of one document" in done.stdout, done.stderr
    assert peak_mb < 1024, peak_mb


def test_an_upload_is_rebuilt_in_a_child_process_with_progress(published, monkeypatch):
    import subprocess

    started = []
    real_popen = subprocess.Popen

    def popen(args, *rest, **kwargs):
        started.append(list(args))
        return real_popen(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", popen)
    lines = []
    added = PolicyService(published).add_document("新方案.txt", "山西省上传新方案\n一、要求\n（一）目标。到2030年，储能达到60%。\n".encode(),
                                                  progress=lines.append)
    assert any("build" in a for a in started[-1]) and "app.service.sandbox" in started[-1]
    assert any("新方案.txt" in line for line in lines)           # the child's progress came through
    assert added["doc_id"] in PolicyService(published).documents


def test_a_rebuild_that_runs_too_long_is_stopped_and_the_upload_not_kept(published, monkeypatch):
    from app.service import sandbox

    monkeypatch.setattr(sandbox, "BUILD_SECONDS", 0.5)
    with pytest.raises(UploadRefused) as caught:
        PolicyService(published).add_document("慢方案.txt", "山西省慢方案\n一、要求\n（一）目标。到2030年，储能达到70%。\n".encode())
    assert caught.value.reason == "limits" and "longer than" in caught.value.detail
    uploads = published.parent / ".data.versions" / "uploads"
    assert not list(uploads.glob("慢方案*"))


def test_a_huge_clause_is_kept_without_mentions_and_named_in_a_warning():
    from ingest import limits
    from ingest.pipeline import parse_text

    unit = "到2030年，全省风电、光伏发电总装机达到1.2亿千瓦左右，省能源局牵头，省工信厅配合，支持钢铁企业开展绿电直连。"
    text = "山西省长文件\n一、总体\n（一）目标。" + unit * (limits.MAX_EXTRACT_CHARS // len(unit) + 50) + "\n（二）措施。" + unit + "\n"
    doc = parse_text(text, "long.txt")      # mention extraction is quadratic in a clause's length: skipped here
    first, second = doc.clauses
    assert first.agencies == [] and first.targets == [] and len(first.text) > limits.MAX_EXTRACT_CHARS
    assert second.agencies and second.targets
    assert any(first.id in w and "limit for finding" in w for w in doc.warnings)


def test_a_paragraph_of_thousands_of_fixed_width_lines_is_joined_with_every_offset():
    # Joined once at its end (line-by-line joining was quadratic: a 2.7 MB file of such lines took 239 s, now 5.5 s).
    from ingest.layout import paragraphs

    body = ("支持钢铁企业开展绿电直连，省能源局牵头，省工信厅配合，" * 2000)
    lines = [body[i:i + 38] for i in range(0, len(body), 38)]
    source = "\n".join(lines)
    paras = paragraphs(source)
    assert len(paras) == 1 and paras[0].line_count == len(lines)
    text, offsets = paras[0].text.text, paras[0].text.offsets
    assert text == body and len(offsets) == len(text)
    assert all(source[o] == ch for o, ch in zip(offsets, text))
