"""Dense encoders: text → L2-normalised float32 vectors.

``lsa`` (default) is built in and fitted to the corpus; ``e5-small`` is the
pretrained multilingual e5 installed offline by ``policykg model install``
(:mod:`search.encoders.e5_install`); any other name is a local
sentence-transformers model folder or a model in the local Hugging Face
cache.  :func:`make_encoder` picks one from the settings; the index manifest
records :meth:`Encoder.describe` and loading checks it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol, Sequence

import numpy as np

DEFAULT_ENCODER = "lsa"
# Encoders installed by `policykg model install`: name -> folder under the models directory.
INSTALLED_MODELS = {"e5-small": "multilingual-e5-small"}


class EncoderError(Exception):
    """The encoder named in the settings cannot be used (missing, incompatible)."""


class Encoder(Protocol):
    name: str
    dimension: int

    def encode(self, texts: Sequence[str], tokens: Sequence[list[str]] | None = None) -> np.ndarray: ...

    def encode_query(self, text: str, tokens: list[str] | None = None) -> np.ndarray: ...

    def describe(self) -> dict[str, Any]: ...

    def save(self, folder: Path) -> None: ...


def encoder_name(settings: dict | None) -> str:
    return (settings or {}).get("encoder") or DEFAULT_ENCODER


def is_builtin(name: str) -> bool:
    return name == DEFAULT_ENCODER
