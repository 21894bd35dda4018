"""One module per group of ``policykg`` subcommands."""
from __future__ import annotations

import argparse

from app.paths import default_data


def add_data_option(parser: argparse.ArgumentParser) -> None:
    """Every command that reads built data takes ``--data DIR``."""
    parser.add_argument("--data", type=_path, default=default_data(), metavar="DIR",
                        help="built data folder (default: %(default)s)")


def _path(value: str):
    from pathlib import Path

    return Path(value)
