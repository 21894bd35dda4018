"""A hostile, messy corpus: nothing crashes, bad files are named, good ones still build, spans hold."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.build import build
from ingest.errors import IngestError
from ingest.pipeline import parse_text
from tests.test_ingest_structure import assert_subsequence

PLAN = "山西省示范方案\n一、总体要求\n（一）目标。到2025年，绿电占比达到50%。（省能源局、省工信厅）\n（二）措施。严禁新增产能。\n"


def _scanned_pdf() -> bytes:
    # A one-page PDF whose page draws nothing: what a scanner without OCR produces.
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length 0 >>\nstream\n\nendstream"]
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("hostile")
    (corpus / "good.txt").write_text(PLAN, encoding="utf-8")
    (corpus / "gbk named markdown.md").write_bytes(PLAN.replace("示范", "试点").encode("gb18030"))
    (corpus / "mixed scripts.txt").write_text(
        "國家能源局 Energy Policy 🌱 سياسة\n一、總體要求\n（一）Target: 2030年 renewable share 达到 40%。\n", encoding="utf-8")
    (corpus / "scanned.pdf").write_bytes(_scanned_pdf())
    one_line = "".join(f"（{n}）第{n}项措施。严格控制能耗，到2030年单位产值能耗下降{i % 20 + 1}%。" for i, n in
                       enumerate(["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"] * 400))
    (corpus / "one line.txt").write_text("山西省长文件\n" + one_line[:200_000], encoding="utf-8")
    (corpus / "skips levels.txt").write_text(
        "山西省跳级文件\n一、任务\n1.甲项。内容甲。\n（1）细项。内容乙。\n二、保障\n①子项。内容丙。\n", encoding="utf-8")
    (corpus / "duplicate.txt").write_text(PLAN, encoding="utf-8")
    (corpus / "page.html").write_text(
        "<html><head><script>var x='恶意脚本内容';</script></head><body><nav>首页 > 政策</nav>"
        "<div class='content'><p>山西省网页方案</p><p>一、总体要求</p><p>（一）目标。到2025年，储能装机达到600万千瓦。</p></div>"
        "<script>alert('第二段脚本')</script><footer>版权所有</footer></body></html>", encoding="utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    out = tmp_path_factory.mktemp("out") / "data"
    started = time.perf_counter()
    report = build(corpus, out, stages=False)
    return report, out, time.perf_counter() - started


def test_hostile_corpus_builds_what_it_can_and_names_what_it_cannot(hostile_build):
    report, out, seconds = hostile_build
    refused = "\n".join(report.refused)
    assert "scanned.pdf" in refused and "no text layer" in refused
    assert "empty.txt" in refused and "empty" in refused
    # Of two identical files the first by name is kept, the other skipped with a warning.
    assert any("good.txt" in w and "same content as" in w and "duplicate.txt" in w for w in report.warnings)
    files = {Path(d["file"]).name for d in report.documents.values()}
    assert files == {"duplicate.txt", "gbk named markdown.md", "mixed scripts.txt", "one line.txt", "skips levels.txt", "page.html"}
    assert seconds < 60


def test_a_run_on_one_line_document_is_split_at_its_inline_numbering(hostile_build):
    report, out, _ = hostile_build
    entry = next(d for d in report.documents.values() if d["file"].endswith("one line.txt"))
    assert entry["clauses"] > 100


def test_html_scripts_and_site_frame_never_reach_the_clauses(hostile_build):
    _, out, _ = hostile_build
    text = (out / "clauses.jsonl").read_text(encoding="utf-8")
    assert "恶意脚本" not in text and "第二段脚本" not in text and "版权所有" not in text
    assert "储能装机达到600万千瓦" in text


def test_numbering_that_skips_levels_still_nests(hostile_build):
    _, out, _ = hostile_build
    paths = [json.loads(l)["path"] for l in (out / "clauses.jsonl").read_text(encoding="utf-8").splitlines()
             if "跳级" in json.loads(l)["doc_title"]]
    assert paths == ["一.1", "一.1.(1)", "二.①"]


def test_every_span_of_the_hostile_corpus_maps_back(hostile_build):
    _, out, _ = hostile_build
    for path in (out / "documents").glob("*.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        source = (out / "sources" / f"{path.stem}.txt").read_text(encoding="utf-8")
        for clause in doc["clauses"]:
            s, e = clause["span"]
            assert_subsequence(clause["text"], source[s:e])
            for mention in clause["agencies"] + clause["industries"]:
                ms, me = mention["span"]
                assert s <= ms <= me <= e
                assert_subsequence(mention["as_written"], source[ms:me])


_PIECES = st.sampled_from([
    "一、", "二、", "（一）", "（二）", "(三)", "1.", "2．", "（1）", "①", "第一章", "第二条", "专栏1", "附件1", "———",
    "到2025年，", "绿电占比达到50%", "不超过220千伏", "（省能源局、省发改委，各市人民政府）", "省工信厅牵头",
    "。", "，", ".", ",", "\n", "\n\n", "—３—", "**", "[bookmark: _Hlk1]", "２０３０", "钢铁", "数据中心", "CCUS",
    "自治区能源局负责", "《关于完善价格机制的通知》（发改价格〔2025〕1192号）", " ", "\t", "\u3000", "#",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES | st.text(max_size=8), max_size=40).map("".join))
def test_segmentation_and_extraction_never_crash_and_every_span_maps_back(source):
    try:
        doc = parse_text(source, "generated.txt")
    except IngestError as err:
        assert "generated.txt" in str(err)
        return
    ids = [c.id for c in doc.clauses]
    assert len(ids) == len(set(ids))
    for clause in doc.clauses:
        assert_subsequence(clause.text, source[clause.span.start: clause.span.end])
        for mention in [*clause.agencies, *clause.industries]:
            assert_subsequence(mention.as_written, source[mention.span.start: mention.span.end])
        for target in clause.targets:
            assert clause.span.start <= target.span.start <= target.span.end <= clause.span.end
