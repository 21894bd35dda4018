"""Taking a document out of a data folder: from the app's service and from ``policykg remove``.

Both go through the same locked, atomic rebuild as uploads; the user's corpus
folder is never touched, and a removed corpus document stays out of later builds.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from app.service import PolicyService

NEW_DOC = (
    "山西省能源局关于开展分布式光伏试点工作的通知\n\n晋能源新发〔2031〕7号\n\n"
    "一、工作目标\n（一）到2032年，全省分布式光伏试点装机达到200万千瓦。\n"
)
DOC = "jnygf-2024-195"


@pytest.fixture
def data(published_data) -> Path:
    """A published copy of the built corpus, so removals do not touch it."""
    return published_data


def test_an_upload_removed_again_leaves_the_corpus_as_it_was(data):
    added = PolicyService(data).add_document("分布式光伏试点.txt", NEW_DOC.encode("utf-8"))
    assert added["doc_id"] in PolicyService(data).documents
    report = PolicyService(data).remove_document(added["doc_id"])
    after = PolicyService(data)
    assert report["documents"] == 5 and added["doc_id"] not in after.documents
    assert not after.search("分布式光伏试点", k=3, filters=None) or all(
        not h["clause_id"].startswith(added["doc_id"]) for h in after.search("分布式光伏试点", k=3))
    uploads = data.parent / ".data.versions"
    assert not list((uploads / "uploads").glob("*.txt"))          # moved aside, not left to come back
    assert list((uploads / "removed").glob("*.txt"))


def test_policykg_remove_asks_then_keeps_the_document_out_of_later_builds(data, corpus_dir, capsys):
    before = sorted(p.name for p in corpus_dir.iterdir())
    assert main(["remove", DOC, "--data", str(data)]) == 2         # no terminal to confirm on, no --yes
    assert "--yes" in capsys.readouterr().err
    assert DOC in PolicyService(data).documents

    assert main(["remove", DOC, "--data", str(data), "--yes"]) == 0
    assert "removed 《山西省能源局关于印发推动绿电资源就地转化" in capsys.readouterr().out
    svc = PolicyService(data)
    assert DOC not in svc.documents and len(svc.documents) == 4
    assert not any(c.startswith(DOC + "#") for c in svc.clauses)
    assert sorted(p.name for p in corpus_dir.iterdir()) == before   # the user's files are untouched

    assert main(["build", "--corpus", str(corpus_dir), "--out", str(data), "-q"]) == 0
    assert DOC not in PolicyService(data).documents                 # a later build leaves it out too
    warnings = json.loads((data / "manifest.json").read_text(encoding="utf-8"))["warnings"]
    assert any("policykg remove" in w and "left out" in w for w in warnings)   # and says so


def test_removing_an_unknown_document_names_close_ids(data, capsys):
    assert main(["remove", "jnygf-2024", "--data", str(data), "--yes"]) == 2
    assert DOC in capsys.readouterr().err
