"""``policykg api``: serve the HTTP API over a built data folder."""
from __future__ import annotations

import sys

from app.commands import add_data_option


def register(subparsers) -> None:
    p = subparsers.add_parser("api", help="serve the HTTP API (search, clauses, apply, matrix, targets, SPARQL)")
    add_data_option(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    p.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    p.set_defaults(run=run_api)


def run_api(args) -> int:
    from app.service import DataNotBuilt, PolicyService

    try:
        service = PolicyService(args.data)
    except DataNotBuilt as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    import uvicorn

    from app.api import create_app

    print(f"PolicyKG API on http://{args.host}:{args.port}/docs (data: {service.data_dir})", file=sys.stderr)
    uvicorn.run(create_app(service), host=args.host, port=args.port, log_level="info")
    return 0
