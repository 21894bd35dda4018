"""The sentence-transformers path, for real, with a tiny BERT the test builds itself.

No download: the model (1 layer, hidden size 32, a vocabulary of the corpus's
characters) is written to tmp_path and loaded by path through our encoder, then
used to build and query a FAISS index over the corpus.  Importing torch and
sentence-transformers costs several seconds, once for this module.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from search.encoders import EncoderError


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory, corpus_dir) -> Path:
    torch = pytest.importorskip("torch")
    st = pytest.importorskip("sentence_transformers")
    from transformers import BertConfig, BertModel, BertTokenizer

    root = tmp_path_factory.mktemp("tiny-sbert")
    bert_dir, out = root / "bert", root / "model"
    bert_dir.mkdir()
    chars = sorted({ch for p in corpus_dir.glob("*.txt") for ch in p.read_text(encoding="utf-8") if not ch.isspace()})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *chars]
    (bert_dir / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    BertTokenizer(vocab_file=str(bert_dir / "vocab.txt"), do_lower_case=False).save_pretrained(str(bert_dir))
    torch.manual_seed(0)
    config = BertConfig(hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=37,
                        vocab_size=len(vocab), max_position_embeddings=512)
    BertModel(config).save_pretrained(str(bert_dir))
    try:
        from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    except ImportError:   # sentence-transformers < 6
        from sentence_transformers.models import Pooling, Transformer
    word = Transformer(str(bert_dir), max_seq_length=128)
    dim = getattr(word, "get_embedding_dimension", None) or word.get_word_embedding_dimension
    pooling = Pooling(dim(), pooling_mode="mean")
    st.SentenceTransformer(modules=[word, pooling], device="cpu").save(str(out))
    return out


def test_a_local_model_folder_loads_and_encodes(tiny_model):
    from search.encoders.sbert import SbertEncoder

    enc = SbertEncoder(str(tiny_model))
    assert enc.dimension == 32 and enc.ref == str(tiny_model.resolve())
    v = enc.encode(["绿电直连项目", "散煤清零"])
    assert v.shape == (2, 32) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, rtol=1e-5)
    assert enc.describe()["name"] == "sbert"


def test_indexes_built_with_the_model_are_searched_with_it(tiny_model, built_data, tmp_path):
    from search.build import build_indexes
    from search.engine import SearchEngine

    data = tmp_path / "data"
    shutil.copytree(built_data.resolve(), data)
    info = build_indexes(data, {"encoder": str(tiny_model)})
    assert info["dimension"] == 32 and info["faiss_index"] == "IndexFlatIP"
    manifest = json.loads((data / "search" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["encoder"]["ref"] == str(tiny_model.resolve()) and "torch" in manifest["encoder"]
    engine = SearchEngine.load(data)
    dense = engine.search("绿电直连项目接入电压等级", k=5, mode="dense")
    assert len(dense) == 5 and all(h.signals["dense"] <= 1.0001 for h in dense)
    # An untrained encoder is noise; the lexical side still brings the clause up.
    hybrid = engine.search("绿电直连项目接入电压等级", k=5)
    assert any("220千伏" in h.text for h in hybrid)


def test_a_missing_model_folder_names_the_path_and_the_fix(tmp_path):
    from search.encoders.sbert import SbertEncoder

    missing = tmp_path / "models" / "bge-small-zh"
    with pytest.raises(EncoderError) as err:
        SbertEncoder(str(missing))
    text = str(err.value)
    assert str(missing) in text and "--encoder" in text and "download" in text.lower()


def test_a_name_missing_from_the_local_cache_is_not_fetched(monkeypatch, tmp_path):
    from search.encoders.sbert import SbertEncoder

    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    with pytest.raises(EncoderError) as err:
        SbertEncoder("no-such-org/no-such-model")
    text = str(err.value)
    assert "no-such-org/no-such-model" in text and "Hugging Face cache" in text and "--encoder" in text


def test_building_with_a_missing_model_fails_before_writing(built_data, tmp_path):
    from search.build import build_indexes

    data = tmp_path / "data"
    shutil.copytree(built_data.resolve(), data)
    before = sorted(p.name for p in (data / "search").iterdir())
    with pytest.raises(EncoderError, match="does-not-exist"):
        build_indexes(data, {"encoder": str(tmp_path / "does-not-exist")})
    assert sorted(p.name for p in (data / "search").iterdir()) == before


def test_without_sentence_transformers_installed_the_error_says_so(monkeypatch, tmp_path):
    import sys

    from search.encoders.sbert import SbertEncoder

    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    with pytest.raises(EncoderError, match="pip install sentence-transformers"):
        SbertEncoder(str(tmp_path))


def test_a_build_does_not_count_its_own_encoding_as_others_load(monkeypatch):
    """Threads follow the cores other work leaves free: a build's own batches (two threads busy, load 2 on
    two cores) keep both threads; another job's load of 2 leaves one."""
    from search.encoders import sbert

    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setattr(sbert.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(sbert.os, "getloadavg", lambda: (2.0, 2.0, 2.0))
    assert sbert.free_threads(busy_here=2) == 2
    assert sbert.free_threads() == 1
    monkeypatch.setattr(sbert.os, "getloadavg", lambda: (4.0, 4.0, 4.0))
    assert sbert.free_threads(busy_here=2) == 1
    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    assert sbert.free_threads() == 2
