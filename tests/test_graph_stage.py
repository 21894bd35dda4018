"""The graph stage of a build: one document at a time, checked per part, reused when unchanged."""
from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest

from graph.rdf import build_rdf
from graph.validate import ontology_graph
from test_graph_fixtures import DOC_ID, tiny_document, write_data_folder


def nt_lines(folder: Path) -> list[str]:
    return (folder / "graph" / "graph.nt").read_text(encoding="utf-8").splitlines()


def expected_lines(folder: Path) -> set[str]:
    """What the whole graph held in memory serialises to: the same triples the stage must write."""
    from graph.build import load_lexicons
    from ingest.files import load_documents

    g = build_rdf(load_documents(folder), *load_lexicons())
    for t in ontology_graph():
        g.add(t)
    return set(g.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()) - {""}


@pytest.fixture(scope="module")
def corpus_ingest(built_data) -> Path:
    """The real corpus through ingest (the session's build): the input of the graph stage.  Copy it to change it."""
    return built_data.resolve()


def copy_ingest(src: Path, dest: Path) -> Path:
    """The ingest stage's files of ``src`` (no graph, no search indexes) in a folder of their own."""
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("graph", "search", "manifest.json"))
    return dest


def test_streamed_graph_is_the_whole_graph(corpus_ingest, tmp_path):
    from graph.build import build_graph
    from graph.store import open_store

    folder = copy_ingest(corpus_ingest, tmp_path / "a")
    info = build_graph(folder, workers=1)
    lines = nt_lines(folder)
    assert set(lines) == expected_lines(folder) and len(lines) == len(set(lines)) == info["triples"]
    assert info["shacl"] == "conforms" and info["parts"] == {"made": 5, "reused": 0}
    assert len(open_store(folder)) == info["triples"]
    assert not any(line.startswith("_:") or " _:" in line for line in lines)
    # each part is one document's triples, sorted, in document-id order
    parts = [json.loads(x) for x in (folder / "graph" / "parts.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [p["doc"] for p in parts] == sorted(p["doc"] for p in parts)
    raw = (folder / "graph" / "graph.nt").read_bytes()
    for p in parts:
        part = raw[p["offset"]:p["offset"] + p["length"]].decode("utf-8").splitlines()
        assert part == sorted(part) and len(part) == p["triples"]


def test_parallel_and_serial_builds_write_the_same_bytes(corpus_ingest, tmp_path):
    from graph.build import build_graph

    serial = build_graph(copy_ingest(corpus_ingest, tmp_path / "serial"), workers=1)
    parallel = build_graph(copy_ingest(corpus_ingest, tmp_path / "parallel"), workers=2)
    assert parallel["nt_sha256"] == serial["nt_sha256"]


def test_rebuild_makes_only_the_changed_document_again(corpus_ingest, tmp_path):
    from graph.build import build_graph

    before = copy_ingest(corpus_ingest, tmp_path / "before")
    build_graph(before, workers=1)
    after = copy_ingest(corpus_ingest, tmp_path / "after")
    path = sorted((after / "documents").glob("*.json"))[2]
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["clauses"][0]["text"] += "（修订）"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")

    incremental = build_graph(after, previous=before, workers=1)
    assert incremental["parts"] == {"made": 1, "reused": 4}
    full = build_graph(copy_ingest(after, tmp_path / "full"), workers=1)
    assert incremental["nt_sha256"] == full["nt_sha256"]
    assert any("（修订）" in line for line in nt_lines(after))
    # the store was updated from the previous one, not loaded again, and holds what a full load holds
    assert incremental["store"]["updated"]["parts_replaced"] == 1 and full["store"] == "bulk-loaded"
    assert store_quads(after) == store_quads(tmp_path / "full")
    assert len(store_quads(before)) == build_graph(copy_ingest(before, tmp_path / "again"), workers=1)["triples"]


def store_quads(folder: Path) -> set[str]:
    from graph.store import open_store

    return {str(q) for q in open_store(folder)}


def test_a_removed_document_leaves_the_updated_store(corpus_ingest, tmp_path):
    from graph.build import build_graph

    before = copy_ingest(corpus_ingest, tmp_path / "before")
    build_graph(before, workers=1)
    after = copy_ingest(corpus_ingest, tmp_path / "after")
    removed = sorted((after / "documents").glob("*.json"))[0]
    removed.unlink()
    info = build_graph(after, previous=before, workers=1)
    assert info["parts"] == {"made": 0, "reused": 4}
    assert info["store"]["updated"]["parts_removed"] == 1 and info["store"]["updated"]["triples_removed"] > 1000
    quads = store_quads(after)
    assert len(quads) == info["triples"] and not any(f"/doc/{removed.stem}>" in q for q in quads)
    full = copy_ingest(after, tmp_path / "full")
    build_graph(full, workers=1)
    assert quads == store_quads(full)


def test_a_new_document_that_a_citation_names_remakes_the_citing_part(tmp_path):
    """tiny_document cites 《山西省碳达峰实施方案》: outside the corpus until that plan is added."""
    from graph.build import build_graph
    from graph import iris

    before = write_data_folder(tmp_path / "before", [tiny_document()])
    build_graph(before, workers=1)
    assert any(line.startswith(f"<{iris.document('sxstdfssfa')}>") for line in nt_lines(before))

    plan = copy.deepcopy(tiny_document())
    plan["document"].update(id="sx-plan", title="山西省碳达峰实施方案", number="晋政发〔2023〕1号")
    for clause in plan["clauses"]:
        clause["id"] = clause["id"].replace(DOC_ID, "sx-plan")
        clause["cites"] = []
    after = write_data_folder(tmp_path / "after", [tiny_document(), plan])
    info = build_graph(after, previous=before, workers=1)

    assert info["parts"] == {"made": 2, "reused": 0}
    cites = f"<{iris.document(DOC_ID)}> <http://data.europa.eu/eli/ontology#cites> <{iris.document('sx-plan')}> ."
    lines = nt_lines(after)
    assert cites in lines
    assert not any(line.startswith(f"<{iris.document('sxstdfssfa')}>") for line in lines)


def test_a_part_failing_its_shapes_fails_the_build_and_leaves_no_graph(tmp_path, monkeypatch):
    import graph.rdf
    from app.build import BuildError
    from graph.build import build_graph
    from graph.vocab import PKG

    whole = graph.rdf.document_graph

    def without_firmness(*args, **kwargs):
        g, facts = whole(*args, **kwargs)
        g.remove((None, PKG.firmness, None))
        return g, facts

    monkeypatch.setattr(graph.rdf, "document_graph", without_firmness)
    folder = write_data_folder(tmp_path / "data", [tiny_document()])
    with pytest.raises(BuildError) as caught:
        build_graph(folder, workers=1)
    assert "fails its SHACL shapes" in str(caught.value)
    assert "target/1 pkg:firmness: Less than 1 values" in str(caught.value)
    assert not (folder / "graph").exists() and not (folder / "graph.tmp").exists()


def test_a_part_is_checked_with_the_nodes_it_points_at(tmp_path):
    """A citation of another corpus document passes sh:class eli:LegalResource through its stub."""
    from graph.citations import CorpusIndex
    from graph.parts import PartTask, make_part

    plan = copy.deepcopy(tiny_document())
    plan["document"].update(id="sx-plan", title="山西省碳达峰实施方案", number="")
    index = CorpusIndex.of([tiny_document(), plan])
    folder = write_data_folder(tmp_path / "data", [tiny_document()])
    cited = index.resolved_in(tiny_document())
    path = str(folder / "documents" / f"{DOC_ID}.json")

    with_stub = make_part(PartTask(DOC_ID, path, cited, {"sx-plan": ("山西省碳达峰实施方案", "")}))
    assert with_stub.violations == [] and with_stub.error == ""
    without = make_part(PartTask(DOC_ID, path, cited, {}))
    assert any("eli:cites" in v and "sx-plan" in v for v in without.violations)
