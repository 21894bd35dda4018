"""``policykg apply``: which rules apply to a project, why, and whether it meets their numbers.

What it prints for people (the summary, messages) is Chinese, like the app; ``--json`` keeps
the stable keys and status values scripts read, with the Chinese ``why`` and ``explanation``.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from app.commands import add_data_option


def register(subparsers) -> None:
    p = subparsers.add_parser("apply", help="check a project profile against the corpus: applying rules and their conditions")
    p.add_argument("--profile", type=Path, required=True, metavar="FILE",
                   help="project profile, a JSON object (see examples/profiles/)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--report", type=Path, metavar="FILE", help="also write a report: .md, .xlsx (or .pdf where a CJK font is available)")
    p.add_argument("--force", action="store_true", help="overwrite an existing report file")
    p.add_argument("--cap", type=int, default=None, metavar="N", help="clauses shown per group (default 30)")
    add_data_option(p)
    p.set_defaults(run=run_apply)


def run_apply(args) -> int:
    from rules.profile import ProfileError, load_profile
    from rules.report import ReportError, pdf_unavailable_reason, render_text
    from app.service import DataNotBuilt, PolicyService

    if args.report is not None:
        suffix = args.report.suffix.lower()
        if suffix not in (".md", ".markdown", ".xlsx", ".pdf"):
            print(f"错误：{args.report}：报告文件名应以 .md、.xlsx 或 .pdf 结尾", file=sys.stderr)
            return 2
        if suffix == ".pdf" and pdf_unavailable_reason():
            print(f"错误：{pdf_unavailable_reason()}", file=sys.stderr)
            return 2
        if args.report.exists() and not args.force:
            print(f"错误：{args.report} 已存在；如需覆盖请加 --force", file=sys.stderr)
            return 2
    try:
        profile = load_profile(args.profile)
    except ProfileError as err:
        print(f"错误：{err}", file=sys.stderr)
        return 2
    try:
        svc = PolicyService(args.data)
    except DataNotBuilt as err:
        print(f"错误：{err}", file=sys.stderr)
        return 1
    result = svc.apply_result(profile, cap=args.cap)
    if args.report is not None:
        try:
            svc.write_apply_report(result, args.report)
        except ReportError as err:
            print(f"错误：{err}", file=sys.stderr)
            return 2
        print(f"报告已写入 {args.report}", file=sys.stderr)
    if args.json:
        json.dump(result.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_text(result))
    return 0
