"""``policykg build`` and ``policykg extract``."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from app.paths import default_corpus, default_data


def register(subparsers) -> None:
    p = subparsers.add_parser("build", help="build the corpus into a data folder (graph and indexes included)")
    p.add_argument("--corpus", type=Path, default=default_corpus(), metavar="DIR", help="folder of documents (default: %(default)s)")
    p.add_argument("--out", type=Path, default=default_data(), metavar="DIR", help="data folder to publish (default: %(default)s)")
    p.add_argument("--encoder", default=None, help="dense encoder: 'lsa' (built in, default) or a local sentence-transformers model folder/name")
    p.add_argument("--vector-store", choices=("faiss", "milvus"), default=None,
                   help="where the clause vectors are searched: faiss (in the data folder, default) or milvus")
    p.add_argument("--milvus-uri", metavar="PATH_OR_URL",
                   help="with --vector-store milvus: a local file ending in .db (Milvus Lite) or a server, e.g. http://localhost:19530")
    p.add_argument("--milvus-collection", metavar="NAME",
                   help="with --vector-store milvus: collection name prefix (default policykg_clauses); each build writes NAME_v<version>")
    p.add_argument("--strict", action="store_true", help="fail when any document is refused")
    p.add_argument("-q", "--quiet", action="store_true")
    p.set_defaults(run=run_build)

    p = subparsers.add_parser("extract", help="print one document's structured result (touches nothing on disk)")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="print JSON (the default, kept for scripts)")
    p.add_argument("--source", action="store_true", help="include the source text the spans index")
    p.set_defaults(run=run_extract)


def run_build(args) -> int:
    from app.build import BuildError, build
    from search.vectorstore import VectorStoreError, options_to_settings

    settings = {"encoder": args.encoder} if args.encoder else {}
    try:
        settings.update(options_to_settings(args.vector_store, args.milvus_uri, args.milvus_collection))
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    say = (lambda _: None) if args.quiet else (lambda m: print(m, file=sys.stderr))
    try:
        report = build(args.corpus, args.out, settings=settings, progress=say)
    except (BuildError, VectorStoreError) as err:
        print(f"build failed: {err}\nThe previous data in {args.out} is unchanged.", file=sys.stderr)
        return 1
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for refusal in report.refused:
        print(f"refused: {refusal}", file=sys.stderr)
    clauses = sum(d["clauses"] for d in report.documents.values())
    print(f"built {len(report.documents)} documents, {clauses} clauses into {args.out} in {report.seconds:.1f} s"
          + (f"; {len(report.refused)} refused" if report.refused else ""))
    return 1 if args.strict and report.refused else 0


def run_extract(args) -> int:
    from ingest.errors import IngestError
    from ingest.pipeline import parse_document

    try:
        doc = parse_document(args.file)
    except IngestError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    payload = doc.to_json()
    if args.source:
        payload["source_text"] = doc.source_text
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0
