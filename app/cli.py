"""The ``policykg`` command line.

Each subcommand lives in a module of :mod:`app.commands` with a
``register(subparsers)`` function; a command checks its arguments and calls
one plain function (or the service) that does the work.
"""
from __future__ import annotations

import argparse
import importlib
import sys

COMMAND_MODULES = [
    "app.commands.ingest",
    "app.commands.api",
    "app.commands.apply",
    "app.commands.graph",
    "app.commands.search",
    "app.commands.documents",
    "app.commands.model",
]


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policykg", description="Policy knowledge graph and clause search for Chinese policy documents.")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
