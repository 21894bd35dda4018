"""Encodings the README promises: UTF-16 without a byte-order mark, and PDF text layers that use
Kangxi radicals or compatibility ideographs for ordinary characters."""
from __future__ import annotations

import os

import pytest

from ingest.ideographs import unify_ideograph
from ingest.pipeline import parse_text
from ingest.readers import read_source
from ingest.errors import IngestError
from tests.test_ingest_structure import assert_subsequence

PLAN = "山西省能源局关于印发示范方案的通知\n一、总体要求\n（一）目标。到2025年，绿电占比达到50%。（省能源局）\n"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [PLAN, PLAN * 20, "山西省能源局示范方案总体要求目标绿电占比达到一半"])
def test_utf16_without_a_bom_is_read(tmp_path, encoding, text):
    path = tmp_path / "plan.txt"
    path.write_bytes(text.encode(encoding))
    source = read_source(path)
    assert source.text == text and source.encoding == encoding


@pytest.mark.parametrize("data", [bytes(range(256)) * 40, os.urandom(4096) + b"\x00" * 16, b"\x00\x01" * 500])
def test_binary_is_still_refused(tmp_path, data):
    path = tmp_path / "blob.txt"
    path.write_bytes(data)
    with pytest.raises(IngestError, match="binary|encoding|not valid"):
        read_source(path)


@pytest.mark.parametrize("data, encoding", [(b"plain ascii text", "utf-8"), (PLAN.encode("gb18030"), "gb18030")])
def test_other_encodings_are_not_taken_for_utf16(tmp_path, data, encoding):
    path = tmp_path / "plan.txt"
    path.write_bytes(data)
    assert read_source(path).encoding == encoding


@pytest.mark.parametrize("radical, unified", [("⼀", "一"), ("⼭", "山"), ("⻄", "西"), ("⻓", "长"), ("⾦", "金"),
                                               ("\uf900", "豈"), ("⺟", "母"), ("a", "a"), ("。", "。")])
def test_radicals_and_compatibility_ideographs_map_to_unified_ones(radical, unified):
    assert unify_ideograph(radical) == unified


def test_a_pdf_text_layer_with_kangxi_radicals_keeps_numbering_and_region():
    source = "⼭⻄省能源局关于印发示范⽅案的通知\n⼀、总体要求\n（⼀）⽬标。到2025年，绿电占⽐达到50%。（省能源局）\n⼆、保障措施\n（⼀）加强领导。\n"
    doc = parse_text(source, "radicals.pdf")
    assert doc.meta.region == "山西省"
    assert [c.path for c in doc.clauses] == ["一.(一)", "二.(一)"]
    assert "绿电占比达到50%" in doc.clauses[0].text
    for clause in doc.clauses:
        assert_subsequence(clause.text, source[clause.span.start:clause.span.end])


def test_line_breaks_and_tabs_are_not_counted_as_control_characters(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(PLAN * 30 + "\t表格\t单元\n", encoding="utf-8")
    assert read_source(path).warnings == ()
