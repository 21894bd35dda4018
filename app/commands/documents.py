"""``policykg remove``: take a document out of a built data folder."""
from __future__ import annotations

import sys

from app.commands import add_data_option


def register(subparsers) -> None:
    p = subparsers.add_parser("remove", help="take a document (and its clauses) out of the data folder and rebuild it")
    p.add_argument("doc_id", help="the document's id (as in `policykg search` results and the app's 文件 page)")
    add_data_option(p)
    p.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(run=run_remove)


def run_remove(args) -> int:
    from app.service import DataNotBuilt, PolicyService, UploadRefused

    try:
        svc = PolicyService(args.data)
    except DataNotBuilt as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    doc = svc.documents.get(args.doc_id)
    if doc is None:
        close = [d for d in svc.documents if args.doc_id in d][:5]
        print(f"error: no document {args.doc_id!r} in {args.data}" + (f"; did you mean {', '.join(close)}?" if close else ""),
              file=sys.stderr)
        return 2
    title = doc["document"]["title"]
    if not args.yes:
        if not sys.stdin.isatty():
            print("error: removing needs confirmation: run it in a terminal, or pass --yes", file=sys.stderr)
            return 2
        answer = input(f"Remove 《{title}》 ({args.doc_id}, {doc['clause_count']} clauses) from {args.data}? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("not removed")
            return 1
    try:
        report = svc.remove_document(args.doc_id, progress=lambda m: print(m, file=sys.stderr))
    except UploadRefused as err:
        print(f"not removed: {err.detail}\nThe previous data in {args.data} is unchanged.", file=sys.stderr)
        return 1
    print(f"removed 《{report['title']}》 ({report['doc_id']}); {report['documents']} documents left, rebuilt in {report['seconds']:.1f} s")
    return 0
