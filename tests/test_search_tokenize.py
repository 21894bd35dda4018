"""The search tokenizer: numbers, years, percentages, document numbers and domain terms survive."""
from __future__ import annotations

import pytest

from search.tokenize import Tokenizer, get_tokenizer


@pytest.fixture(scope="module")
def tok() -> Tokenizer:
    return get_tokenizer()


@pytest.mark.parametrize("text, expected", [
    ("到2025年新能源装机占比达到50%", ["2025", "50", "50%"]),
    ("风电、光伏发电总装机达到1.2亿千瓦左右", ["1.2", "亿千瓦"]),
    ("原煤生产电耗降至20kWh/t以内", ["20", "kwh", "以内"]),
    ("煤电企业年捕集规模需达1,000吨及以上", ["1000", "吨"]),
    ("晋能源规发〔2024〕195号", ["〔2024〕195号"]),
    ("发改能源[2025]650号", ["〔2025〕650号"]),
])
def test_numbers_years_percentages_and_document_numbers_survive(tok, text, expected):
    tokens = tok.tokens(text)
    for t in expected:
        assert t in tokens, (t, tokens)


def test_full_width_digits_are_folded_like_ingest(tok):
    assert tok.tokens("２０２５年") == tok.tokens("2025年")
    assert "ccus" in tok.tokens("ＣＣＵＳ")


@pytest.mark.parametrize("term", ["绿电直连", "源网荷储一体化", "碳达峰", "能耗双控", "统计局", "自治区能源局"])
def test_domain_terms_and_agency_names_stay_whole(tok, term):
    assert term in tok.tokens(f"关于{term}的要求")


def test_long_terms_also_yield_their_parts(tok):
    tokens = tok.tokens("推进源网荷储一体化")
    assert {"源网荷储", "一体化", "源网荷储一体化"} <= set(tokens)


def test_stop_words_and_punctuation_are_dropped(tok):
    tokens = tok.tokens("省统计局参与哪些工作？")
    assert "哪些" not in tokens and "？" not in tokens
    assert "省统计局" in tokens


def test_query_weights_keep_fragments_of_a_word_light(tok):
    tokens, w = tok.query_tokens("乘用车新车二氧化碳排放")
    assert set(tokens) == set(w)
    assert w["二氧化碳"] == 1.0 and w["新车"] == 1.0
    fragments = [t for t in ("二氧", "化碳", "氧化") if t in w]
    assert fragments and all(w[t] < 1.0 for t in fragments)
    parts = tok.query_tokens("燃煤自备电厂")[1]
    assert parts["燃煤"] == parts["自备电厂"] == 1.0   # components of a phrase are words in their own right


def test_user_dictionary_hash_is_stable_and_sensitive():
    a = Tokenizer(["绿电直连"], ["的"])
    b = Tokenizer(["绿电直连"], ["的"])
    c = Tokenizer(["绿电直连", "源网荷储"], ["的"])
    assert a.userdict_hash == b.userdict_hash != c.userdict_hash
    assert a.jieba_version


def test_a_private_jieba_instance_leaves_the_global_one_alone():
    import jieba

    Tokenizer(["一个不会出现在默认词典里的词"], [])
    assert "一个不会出现在默认词典里的词" not in jieba.dt.FREQ
