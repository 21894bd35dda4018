"""Clean-up and layout: what a messy source becomes, and that every character stays traceable."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.layout import paragraphs
from ingest.normalize import maps_to, normalize_query


def texts(source: str) -> list[str]:
    return [p.text.text for p in paragraphs(source)]


def assert_traced(source: str) -> None:
    for para in paragraphs(source):
        offs = para.text.offsets
        assert offs == sorted(offs) and len(set(offs)) == len(offs), "offsets must increase"
        for ch, off in zip(para.text.text, offs):
            assert maps_to(source[off], ch), f"{ch!r} does not come from {source[off]!r} at {off}"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("到２０２５年", "到2025年"),
        ("ＣＣＵＳ和ＡＩ", "CCUS和AI"),
        ("达到１．２亿千瓦左右", "达到1.2亿千瓦左右"),
        ("制定本实施意见.", "制定本实施意见。"),
        ("稳妥有序,有力有效", "稳妥有序，有力有效"),
        ("(一)指导思想", "（一）指导思想"),
        ("«山西省大气污染防治条例»", "《山西省大气污染防治条例》"),
        ("不超过 220 千伏", "不超过220千伏"),
        ("正确认识 and 把握", "正确认识 and 把握"),
        ("1,000吨", "1,000吨"),
        ("（省能源局、省发改委）", "（省能源局、省发改委）"),
    ],
)
def test_normalise_folds_digits_and_stand_in_punctuation(raw, expected):
    assert normalize_query(raw) == expected


def test_rejoins_pdf_lines_broken_mid_sentence_and_drops_page_numbers():
    source = (
        "(三)主要目标.到２０２５年,绿色低碳循环发展的经济体\n\n"
        "系初步形成,重点行业能源利用效率大幅提升.单位地区生\n"
        "—３—\n\n"
        "产总值能源消耗比２０２０年下降１４．５％.\n\n"
        "(四)强化规划引领.将碳达峰纳入规划.\n"
    )
    assert texts(source) == [
        "（三）主要目标。到2025年，绿色低碳循环发展的经济体系初步形成，重点行业能源利用效率大幅提升。单位地区生产总值能源消耗比2020年下降14.5%。",
        "（四）强化规划引领。将碳达峰纳入规划。",
    ]
    assert_traced(source)


@pytest.mark.parametrize("page_number", ["—３—", "- 3 -", "－12－", "第3页", "第 3 页 共 10 页", "7"])
def test_page_numbers_are_dropped(page_number):
    source = f"一、总体要求\n{page_number}\n（一）指导思想。坚持稳中求进。\n"
    assert texts(source) == ["一、总体要求", "（一）指导思想。坚持稳中求进。"]


def test_word_bookmarks_and_markdown_emphasis_are_removed_but_bold_heading_is_kept():
    source = "[bookmark: _Hlk132316106]**（一）适用范围。**本方案所指的绿电直连是指新能源直连。\n## **二、主要任务**\n"
    paras = paragraphs(source)
    assert [p.text.text for p in paras] == ["（一）适用范围。本方案所指的绿电直连是指新能源直连。", "二、主要任务"]
    first = paras[0]
    assert first.text.text[: first.bold_end] == "（一）适用范围。"
    assert paras[1].md_heading
    assert_traced(source)


def test_running_headers_repeated_on_every_page_are_dropped():
    page = "山西省人民政府公报\n（{n}）第{n}项任务。落实责任。\n"
    source = "".join(page.format(n=n) for n in "一二三四")
    assert "山西省人民政府公报" not in "".join(texts(source))


def test_short_title_lines_stand_alone_and_are_not_glued_to_the_body():
    source = "山西省工业领域碳达峰实施方案\n\n为深入贯彻落实党中央决策部署，制定本实施方案。\n\n一、总体要求\n"
    assert texts(source) == ["山西省工业领域碳达峰实施方案", "为深入贯彻落实党中央决策部署，制定本实施方案。", "一、总体要求"]


_messy = st.text(
    alphabet=st.sampled_from(list("绿电直连项目应不超过千伏。，、；：（）()《》«».,;:—-１２３０123４５ＡＢabc%％ \t\u3000\n#*[]_")) | st.characters(codec="utf-8"),
    max_size=300,
)


@settings(max_examples=300, deadline=None)
@given(_messy)
def test_every_cleaned_character_maps_back_to_its_source(source):
    assert_traced(source)


def test_a_sentence_repeated_in_the_text_is_not_taken_for_a_running_header():
    source = "".join(f"（{n}）第{n}项。申请人向县人力社保部门提出申报。\n申请人向县人力社保部门提出申报。\n" for n in "一二三四")
    assert "".join(texts(source)).count("申请人向县人力社保部门提出申报。") == 8


def test_a_running_header_is_dropped_only_at_page_boundaries():
    source = ("山西省人民政府公报\n（一）第一项。\n山西省人民政府公报\n— 2 —\n山西省人民政府公报\n（二）第二项。\n"
              "— 3 —\n山西省人民政府公报\n（三）第三项。\n")
    assert "".join(texts(source)).count("山西省人民政府公报") == 1
