"""Bring the previous build's store up to date instead of loading every triple again.

Bulk-loading ``graph.nt`` takes about a minute per 100k clauses, so after one
changed file most of a rebuild went on loading triples that did not change.
Instead the previous store is backed up into the new folder (RocksDB hard-links
its immutable files, so this is instant and leaves the published store as it
was), and only the triples that differ are removed and added: those of the
parts whose key changed or that are gone, and of the shared segment (the
shared nodes and the ontology at the end of ``graph.nt``).

A document's part holds only triples about nodes minted under its id, so
parts do not share triples; the count after the update is still checked
against the new ``graph.nt``, and any mismatch or error means the caller
bulk-loads instead.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from graph.store import MANIFEST, NT_FILE, STORE_DIR

# Past this share of parts changed, one bulk load is faster than removing and adding.
MAX_CHANGED_SHARE = 0.25


def update_store(previous: Path, folder: Path, before: dict[str, dict], now: dict[str, dict],
                 triples: int) -> dict | None:
    """Write ``folder/store`` from the store of ``previous`` (a graph folder) and the parts that differ.

    ``before`` and ``now`` map document ids to their parts-index entries (``key``,
    ``offset``, ``length``) in the previous and the new ``graph.nt``; ``triples``
    is how many the new one holds.  Returns what was removed and added, or
    ``None`` when the previous store cannot be used this way (nothing is left
    behind then).
    """
    import pyoxigraph as ox

    old_store = previous / STORE_DIR
    try:
        old_manifest = json.loads((previous / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if old_manifest.get("pyoxigraph") != ox.__version__ or not old_store.is_dir() or "triples" not in old_manifest:
        return None
    stale = [d for d, e in before.items() if now.get(d, {}).get("key") != e["key"]]   # changed or removed
    made = [d for d, e in now.items() if before.get(d, {}).get("key") != e["key"]]    # changed or added
    if len(set(stale) | set(made)) > MAX_CHANGED_SHARE * max(len(now), 1):
        return None

    old_lines = _lines(previous / NT_FILE, [before[d] for d in stale], _end(before))
    new_lines = _lines(folder / NT_FILE, [now[d] for d in made], _end(now))
    remove, add = old_lines - new_lines, new_lines - old_lines
    target = folder / STORE_DIR
    try:
        ox.Store.read_only(str(old_store)).backup(str(target))
        store = ox.Store(str(target))
        removed = added = 0
        for quad in _quads(remove):
            if quad in store:
                store.remove(quad)
                removed += 1
        for quad in _quads(add):
            if quad not in store:
                store.add(quad)
                added += 1
        store.flush()
        del store
        if old_manifest["triples"] - removed + added != triples:
            raise ValueError("triple count differs from graph.nt")
    except (OSError, ValueError):
        shutil.rmtree(target, ignore_errors=True)
        return None
    return {"parts_replaced": len(made), "parts_removed": len(set(stale) - set(now)),
            "triples_removed": removed, "triples_added": added}


def _end(entries: dict[str, dict]) -> int:
    """Where the parts end in ``graph.nt`` and the shared segment begins."""
    return max((e["offset"] + e["length"] for e in entries.values()), default=0)


def _lines(nt_path: Path, entries: list[dict], shared_from: int) -> set[bytes]:
    """The N-Triples lines of these parts and of the shared segment."""
    lines: set[bytes] = set()
    with open(nt_path, "rb") as f:
        for e in entries:
            f.seek(e["offset"])
            lines.update(f.read(e["length"]).splitlines())
        f.seek(shared_from)
        lines.update(f.read().splitlines())
    lines.discard(b"")
    return lines


def _quads(lines: set[bytes]):
    import pyoxigraph as ox

    if not lines:
        return
    for triple in ox.parse(b"\n".join(sorted(lines)) + b"\n", format=ox.RdfFormat.N_TRIPLES):
        yield ox.Quad(triple.subject, triple.predicate, triple.object)
