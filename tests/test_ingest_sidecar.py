"""Sidecars are checked against a schema (types, dates, known fields, sizes), and one bad sidecar
or file name refuses that document only, naming it and the problem."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.build import build
from ingest.errors import IngestError
from ingest.sidecar import read_sidecar

PLAN = "山西省示范工作方案\n一、总体要求\n（一）目标。到2025年，绿电占比达到50%。（省能源局）\n"


def _sidecar(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.txt.meta.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("toml, field, problem", [
    ('issuers = "山西省能源局"', "issuers", "expected a list of strings"),
    ("date_published = 2024-13-45", None, "not valid TOML"),
    ('date_published = "2024-13-45"', "date_published", "not a real date"),
    ('date_written = "下个月"', "date_written", "expected a date"),
    ('valid = "yes"', "valid", "expected true or false"),
    ('region = "' + "山" * 100_000 + '"', None, "over the 64 KB limit"),
    ('region = "' + "山" * 60 + '"', "region", "over the 50 limit"),
    ('issuers = ["' + '", "'.join(["局"] * 60) + '"]', "issuers", "60 items"),
    ('id = "../x"', "id", "may hold only"),
    ("title = 3", "title", "expected a string, got a number"),
    ('isuers = ["省能源局"]', None, "unknown sidecar fields: isuers"),
])
def test_a_bad_sidecar_is_refused_naming_the_sidecar_and_the_field(tmp_path, toml, field, problem):
    sidecar = _sidecar(tmp_path, toml + "\n")
    with pytest.raises(IngestError) as caught:
        read_sidecar(sidecar)
    message = str(caught.value)
    assert "plan.txt.meta.toml" in message and problem in message
    if field:
        assert f"field `{field}`" in message


def test_a_good_sidecar_is_converted_to_metadata_values(tmp_path):
    sidecar = _sidecar(tmp_path, 'issuers = ["山西省能源局"]\ndate_published = 2024-05-01\n'
                                 'date_written = "2024-04-30"\nvalid = true\nid = "sx-plan-2024"\n')
    assert read_sidecar(sidecar) == {"issuers": ["山西省能源局"], "date_published": "2024-05-01",
                                     "date_written": "2024-04-30", "valid": True, "id": "sx-plan-2024"}


@pytest.mark.parametrize("sidecar", [
    'date_published = 2024-05-01\nissuers = "山西省能源局"\n',    # a TOML date used to be a TypeError for the build
    'date_published = "2024-13-45"\n',                          # used to fail SHACL for the whole build
])
def test_one_bad_sidecar_refuses_its_document_only(tmp_path, sidecar):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(PLAN, encoding="utf-8")
    (corpus / "bad.txt").write_text(PLAN.replace("示范", "试点"), encoding="utf-8")
    (corpus / "bad.txt.meta.toml").write_text(sidecar, encoding="utf-8")
    report = build(corpus, tmp_path / "data", stages=False)
    assert [Path(d["file"]).name for d in report.documents.values()] == ["good.txt"]
    assert len(report.refused) == 1 and "bad.txt.meta.toml" in report.refused[0]


def test_a_toml_date_in_a_sidecar_builds(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan.txt").write_text(PLAN, encoding="utf-8")
    (corpus / "plan.txt.meta.toml").write_text("date_published = 2024-05-01\n", encoding="utf-8")
    report = build(corpus, tmp_path / "data", stages=False)
    assert not report.refused and len(report.documents) == 1


def test_a_file_name_that_is_not_utf8_is_refused_by_name_and_the_rest_builds(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(PLAN, encoding="utf-8")
    bad = os.path.join(os.fsencode(corpus), b"bad\xff\xfename.txt")
    with open(bad, "wb") as f:
        f.write(PLAN.replace("示范", "试点").encode("utf-8"))
    report = build(corpus, tmp_path / "data", stages=False)
    assert [Path(d["file"]).name for d in report.documents.values()] == ["good.txt"]
    assert report.refused == ["bad\\xff\\xfename.txt: the file name is not valid UTF-8; rename the file"]


def test_an_impossible_date_in_the_text_is_dropped_not_passed_to_the_graph():
    from ingest.pipeline import parse_text

    doc = parse_text("标题：山西省示范方案\n成文日期：2024年13月45日\n发布日期：2024年2月30日\n"
                     "一、总体要求\n（一）目标。到2025年，绿电占比达到50%。\n", "dates.txt")
    assert (doc.meta.date_written, doc.meta.date_published) == ("", "")


@pytest.mark.parametrize("written", ["2024-13-45", "2024-02-30"])
def test_a_document_with_an_impossible_date_does_not_fail_the_whole_build(tmp_path, written):
    y, m, d = written.split("-")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(PLAN, encoding="utf-8")
    (corpus / "dated.txt").write_text(f"标题：山西省试点方案\n成文日期：{y}年{m}月{d}日\n一、总体要求\n（一）目标。到2030年，储能达到60%。\n",
                                      encoding="utf-8")
    report = build(corpus, tmp_path / "data")            # with the graph and its shapes
    assert len(report.documents) == 2
