"""Add passage vectors (:mod:`search.passages`) to an index built without them.

    python -m search.add_passages DATA_DIR

The encoder that built the index encodes the passages of the long clauses;
the clause vectors are kept as they are.
"""
from __future__ import annotations

from pathlib import Path

from search.passages import build


def main(argv: list[str] | None = None) -> int:
    """``python -m search.add_passages DATA_DIR``: add passage vectors to an index built without them, with
    the encoder that built it (the clause vectors are kept: only the passages are encoded)."""
    import argparse
    import json
    import sys

    from search.build import index_folder, read_rows
    from search.engine import SearchEngine

    p = argparse.ArgumentParser(prog="python -m search.add_passages", description=main.__doc__.split("\n")[0])
    p.add_argument("data", type=Path)
    args = p.parse_args(argv)
    engine = SearchEngine.load(args.data)
    clauses = ((row, json.loads(line)) for row, (_, line) in enumerate(read_rows(args.data / "clauses.jsonl")))
    info = build(index_folder(args.data), clauses, engine.encoder, lambda c: " ".join(c.get("parents") or []),
                 lambda m: print(m, file=sys.stderr))
    print(json.dumps({**info, "clauses": len(engine.store)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
