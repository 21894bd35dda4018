"""`policykg build`: bad files are refused by name, the rest builds, old data is never lost."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.build import BuildError, _build_lock, build
from app.cli import main

GOOD = "一、总体要求\n（一）目标。到2025年，绿电占比达到50%。（省能源局）\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text("山西省示范工作方案\n" + GOOD, encoding="utf-8")
    return folder


def ingest_only(corpus: Path, out: Path):
    return build(corpus, out, stages=False)


@pytest.mark.parametrize(
    "name, content, problem",
    [
        ("empty.txt", b"", "empty"),
        ("blob.txt", bytes(range(256)) * 40, "binary"),
        ("bad bytes 文件'.txt", "政策".encode("utf-8") + b"\xff\xfe\xfa" + "文本".encode("utf-8") * 3, "UTF-8"),
    ],
)
def test_a_bad_file_is_refused_by_name_and_the_others_still_build(corpus, tmp_path, name, content, problem):
    (corpus / name).write_bytes(content)
    report = ingest_only(corpus, tmp_path / "data")
    assert len(report.documents) == 1
    assert len(report.refused) == 1 and name in report.refused[0] and problem.lower() in report.refused[0].lower()


def test_a_text_with_no_structure_builds_with_a_warning(corpus, tmp_path):
    (corpus / "plain.txt").write_text("这是一段没有编号的文字，讲政策。\n\n这是另一段文字，也讲政策。\n", encoding="utf-8")
    report = ingest_only(corpus, tmp_path / "data")
    assert len(report.documents) == 2
    assert any("plain.txt" in w and "no numbering" in w for w in report.warnings)


def test_a_duplicated_document_is_skipped_with_a_warning(corpus, tmp_path):
    shutil.copy(corpus / "good.txt", corpus / "copy of good.txt")
    report = ingest_only(corpus, tmp_path / "data")
    assert len(report.documents) == 1
    assert any("same content" in w for w in report.warnings)


def test_a_failed_build_leaves_the_previous_data_intact(corpus, tmp_path):
    out = tmp_path / "data"
    ingest_only(corpus, out)
    before = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for p in corpus.iterdir():
        p.write_bytes(b"")  # every document now unreadable
    with pytest.raises(BuildError, match="no document could be read"):
        ingest_only(corpus, out)
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8")) == before
    assert not list(out.parent.glob(".data.versions/tmp-*")), "the half-built folder is removed"


def test_a_crash_mid_build_leaves_the_previous_data_intact(corpus, tmp_path, monkeypatch):
    out = tmp_path / "data"
    ingest_only(corpus, out)
    clauses_before = (out / "clauses.jsonl").read_text(encoding="utf-8")
    (corpus / "more.txt").write_text("山西省另一方案\n" + GOOD.replace("50%", "60%"), encoding="utf-8")

    def crash(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr("ingest.files.write_clause_table", crash)
    with pytest.raises(RuntimeError):
        ingest_only(corpus, out)
    assert (out / "clauses.jsonl").read_text(encoding="utf-8") == clauses_before


def test_two_builds_at_once_cannot_both_write(corpus, tmp_path):
    out = tmp_path / "data"
    with _build_lock(out.absolute()):
        with pytest.raises(BuildError, match="another build"):
            ingest_only(corpus, out)


def test_extract_prints_the_json_contract_and_writes_nothing(corpus_files, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["extract", str(corpus_files["004"]), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert set(payload["document"]) >= {"id", "title", "number", "region", "issuers", "date_written", "date_published", "valid"}
    clause = payload["clauses"][0]
    assert set(clause) >= {"id", "path", "heading", "text", "span", "agencies", "targets", "measures", "industries", "cites"}
    assert list(tmp_path.iterdir()) == []


def test_extract_names_the_file_when_it_cannot_be_read(tmp_path, capsys):
    bad = tmp_path / "空文件.txt"
    bad.write_bytes(b"")
    assert main(["extract", str(bad)]) == 2
    assert "空文件.txt" in capsys.readouterr().err


def _ingest_files(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(out.rglob("*")) if p.is_file() and p.suffix in (".json", ".jsonl", ".txt") and p.name != "manifest.json"}


@pytest.mark.parametrize("change", ["add", "edit", "remove", "sidecar"])
def test_rebuilding_after_one_change_reparses_only_that_document_and_matches_a_full_build(corpus, tmp_path, change):
    (corpus / "second.txt").write_text("山西省第二方案\n" + GOOD.replace("50%", "70%"), encoding="utf-8")
    out = tmp_path / "data"
    ingest_only(corpus, out)
    if change == "add":
        (corpus / "third.txt").write_text("山西省第三方案\n" + GOOD.replace("50%", "80%"), encoding="utf-8")
    elif change == "edit":
        (corpus / "second.txt").write_text("山西省第二方案\n" + GOOD.replace("50%", "75%"), encoding="utf-8")
    elif change == "remove":
        (corpus / "second.txt").unlink()
    else:
        (corpus / "second.txt.meta.toml").write_text('number = "晋能源发〔2024〕9号"\n', encoding="utf-8")
    report = ingest_only(corpus, out)
    assert report.parsed == (0 if change == "remove" else 1)
    assert report.reused == (1 if change == "remove" else (2 if change == "add" else 1))
    full = tmp_path / "full"
    ingest_only(corpus, full)
    assert _ingest_files(out) == _ingest_files(full)


def test_a_rebuild_links_unchanged_documents_instead_of_copying_them(corpus, tmp_path):
    (corpus / "second.txt").write_text("山西省第二方案\n" + GOOD.replace("50%", "70%"), encoding="utf-8")
    out = tmp_path / "data"
    ingest_only(corpus, out)
    inodes = {p.name: p.stat().st_ino for p in (out / "documents").glob("*.json")}
    kept = (out / "documents").resolve()
    (corpus / "second.txt").write_text("山西省第二方案\n" + GOOD.replace("50%", "75%"), encoding="utf-8")
    ingest_only(corpus, out)
    assert (out / "documents").resolve() != kept                     # a new version was published
    now = {p.name: p.stat().st_ino for p in (out / "documents").glob("*.json")}
    same = {name for name in now if inodes.get(name) == now[name]}
    assert len(same) == 1 and len(now) == 2                            # the unchanged one is shared, the edited one new
    assert "75%" in next(p for p in (out / "documents").glob("*.json") if p.name not in same).read_text(encoding="utf-8")


def test_parallel_and_serial_ingest_give_the_same_data(corpus_dir, tmp_path):
    build(corpus_dir, tmp_path / "serial", stages=False, workers=1)
    build(corpus_dir, tmp_path / "parallel", stages=False, workers=2)
    assert _ingest_files(tmp_path / "serial") == _ingest_files(tmp_path / "parallel")


def test_an_uploaded_document_stays_in_the_data_folder_across_later_builds(corpus, tmp_path):
    from app.service import PolicyService

    out = tmp_path / "data"
    ingest_only(corpus, out)
    added = PolicyService(out).add_document("上传 方案.txt", ("山西省上传方案\n" + GOOD.replace("50%", "65%")).encode("gb18030"))
    assert added["doc_id"] in PolicyService(out).documents
    assert not list(corpus.glob("*上传*")), "the corpus folder is left as the user keeps it"
    report = ingest_only(corpus, out)          # a plain rebuild of the same data folder
    assert added["doc_id"] in report.documents and report.parsed == 0


def test_a_missing_encoder_model_fails_the_build_before_any_work(corpus, tmp_path):
    with pytest.raises(BuildError, match="no sentence-transformers model folder") as err:
        build(corpus, tmp_path / "data", settings={"encoder": str(tmp_path / "no-such-model")})
    assert "--encoder" in str(err.value)
    assert not (tmp_path / "data").exists()


def test_documents_whose_derived_ids_collide_all_build_with_readable_ids(corpus, tmp_path):
    for province in ("河南省", "海南省", "湖南省"):
        (corpus / f"{province}.txt").write_text(f"{province}示范工作方案\n" + GOOD, encoding="utf-8")
    report = ingest_only(corpus, tmp_path / "data")
    assert not report.refused
    ids = sorted(report.documents)
    assert {"hnssfgzfa", "hnssfgzfa-hainan", "hnssfgzfa-hunan"} <= set(ids)
    assert sum("derived id taken" in w for w in report.warnings) == 2
    again = ingest_only(corpus, tmp_path / "data2")
    assert sorted(again.documents) == ids


def test_an_id_chosen_in_two_sidecars_is_refused(corpus, tmp_path):
    (corpus / "other.txt").write_text("山西省另一个工作方案\n" + GOOD.replace("50%", "60%"), encoding="utf-8")
    for name in ("good.txt", "other.txt"):
        (corpus / f"{name}.meta.toml").write_text('id = "mine"\n', encoding="utf-8")
    report = ingest_only(corpus, tmp_path / "data")
    assert len(report.refused) == 1 and "mine" in report.refused[0] and "sidecar" in report.refused[0]
