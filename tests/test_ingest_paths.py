"""No way out of the data folder: document ids from any source are checked, every document path
stays inside its folder, and links in the corpus that leave it are skipped."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.build import build
from ingest.safe_paths import UnsafePath, check_document_id
from ingest.files import load_document, load_source

PLAN = "山西省示范工作方案\n一、总体要求\n（一）目标。到2025年，绿电占比达到50%。（省能源局）\n"


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(PLAN, encoding="utf-8")
    return corpus


@pytest.mark.parametrize("bad_id", ["../../../../escaped/x", "a/b", "..", ".hidden", "a\\b", "x" * 101, "", "a b", "c:x"])
def test_unsafe_document_ids_are_refused(bad_id):
    with pytest.raises(UnsafePath):
        check_document_id(bad_id)


@pytest.mark.parametrize("good_id", ["jnygf-2024-195", "sx-plan_2024.v2", "山西方案-1"])
def test_ordinary_document_ids_pass(good_id):
    assert check_document_id(good_id) == good_id


@pytest.mark.parametrize("sidecar_id", ["../../../../{escape}/x", "a/b"])
def test_a_sidecar_id_cannot_write_outside_the_data_folder_nor_crash_the_build(tmp_path, sidecar_id):
    corpus = _corpus(tmp_path)
    escape = tmp_path / "escaped"
    escape.mkdir()
    (corpus / "evil.txt").write_text(PLAN.replace("示范", "恶意"), encoding="utf-8")
    (corpus / "evil.txt.meta.toml").write_text(f'id = "{sidecar_id.format(escape=escape)}"\n', encoding="utf-8")
    report = build(corpus, tmp_path / "out" / "data", stages=False)
    assert list(escape.iterdir()) == []
    assert [Path(d["file"]).name for d in report.documents.values()] == ["good.txt"]
    assert len(report.refused) == 1 and "evil.txt" in report.refused[0] and "document id" in report.refused[0]


@pytest.mark.parametrize("doc_id", ["../manifest", "../../../etc/passwd", "a/../../b"])
def test_reading_a_document_by_a_hostile_id_never_leaves_the_folder(tmp_path, doc_id):
    report = build(_corpus(tmp_path), tmp_path / "data", stages=False)
    assert report.documents
    with pytest.raises(UnsafePath):
        load_document(tmp_path / "data", doc_id)
    with pytest.raises(UnsafePath):
        load_source(tmp_path / "data", doc_id)


def test_a_link_leaving_the_corpus_is_skipped_with_a_warning(tmp_path):
    corpus = _corpus(tmp_path)
    secret = tmp_path / "outside" / "passwd.txt"
    secret.parent.mkdir()
    secret.write_text("机密文件\n一、口令\n（一）root口令为hunter2。\n", encoding="utf-8")
    os.symlink(secret, corpus / "passwd.txt")
    os.symlink(secret.parent, corpus / "linked folder")
    (corpus / "inner").mkdir()
    (corpus / "inner" / "plan.txt").write_text(PLAN.replace("示范", "内部"), encoding="utf-8")
    os.symlink(corpus / "inner" / "plan.txt", corpus / "alias.txt")     # stays inside: kept
    report = build(corpus, tmp_path / "data", stages=False)
    files = sorted(Path(d["file"]).name for d in report.documents.values())
    assert "passwd.txt" not in files and "hunter2" not in (tmp_path / "data" / "clauses.jsonl").read_text(encoding="utf-8")
    assert any("passwd.txt" in w and "outside the corpus" in w for w in report.warnings)
    assert any("linked folder" in w and "outside the corpus" in w for w in report.warnings)
    assert "good.txt" in files and ("alias.txt" in files or "plan.txt" in files)


def test_the_api_answers_404_for_a_traversal_id(built_data):
    from fastapi.testclient import TestClient

    from app.api import create_app
    from app.service import PolicyService

    client = TestClient(create_app(PolicyService(built_data)))
    for path in ("/documents/..%2F..%2Fmanifest", "/documents/..%2Fsources%2Fx", "/clauses/..%2F..%2Fmanifest%23x"):
        response = client.get(path)
        assert response.status_code == 404, path
