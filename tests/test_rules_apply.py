"""Which rules apply to my project: the three worked examples on the real corpus, and the parts alone."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ingest.extract.conditions import find_conditions
from rules.jurisdiction import binding, normalise_region
from rules.fields import map_field
from rules.match import apply_profile
from rules.profile import ProfileError, load_profile
from ingest.extract.units import convert, parse_quantity

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "examples" / "profiles"


@pytest.fixture(scope="session")
def steel(service):
    return service.apply_result(PROFILES / "guangxi_steel_direct_line.json")


@pytest.fixture(scope="session")
def aluminium(service):
    return service.apply_result(PROFILES / "shanxi_electrolytic_aluminium.json")


@pytest.fixture(scope="session")
def data_centre(service):
    return service.apply_result(PROFILES / "shanxi_data_centre.json")


def condition(result, field, kind="requirement"):
    found = [c for c in result.conditions if c.field == field and c.kind == kind]
    assert found, f"no {kind} condition on {field}: {[c.condition for c in result.conditions]}"
    return found[0]


def rules_with(result, group, *words):
    return [r for r in result.group(group) if all(w in r.text for w in words)]


# ------------------------------------------------------------------ example 1

def test_guangxi_steel_line_length_is_not_met_by_10_km(steel):
    c = condition(steel, "direct_line_km")
    assert (c.status, c.gap, c.comparator, c.value, c.unit) == ("not_met", 10.0, "<=", 50.0, "公里")
    assert c.explanation == "本项目直连线路长度为60公里，超过上限50公里（超出10公里）；条款写“原则上”，可经批准例外"


def test_guangxi_steel_self_consumption_is_not_met_by_5_points(steel):
    c = condition(steel, "self_consumption_pct")
    assert (c.status, c.gap, c.comparator, c.value) == ("not_met", 5.0, ">=", 60.0)
    assert c.explanation == "本项目自发自用电量占总可用发电量的比例为55%，低于下限60%（差5个百分点）"


def test_guangxi_steel_voltage_is_met(steel):
    c = condition(steel, "grid_voltage_kv")
    assert (c.status, c.comparator, c.value, c.unit) == ("met", "<=", 220.0, "千伏")
    assert c.scope == "并网型绿电直连项目"
    assert c.explanation == "本项目接入公用电网电压等级为110千伏，未超过上限220千伏"


def test_guangxi_steel_lists_the_load_side_requirements(steel):
    load_side = rules_with(steel, "obligations", "单一电力用户", "节能审查")
    assert len(load_side) == 1
    why = load_side[0].why
    assert why.startswith("地区：广西壮族自治区文件，项目位于广西壮族自治区；")
    assert "项目类型：绿电直连（direct_line_km=60、self_consumption_pct=55）" in why
    kinds = {r.kind: r.detail for r in load_side[0].reasons}
    assert kinds["region"] == {"document_region": "广西壮族自治区", "project_region": "广西壮族自治区", "project_city": "防城港市"}
    assert kinds["topic"]["topic"] == "绿电直连" and kinds["topic"]["shown_by"]["fields"]["direct_line_km"] == 60


def test_unknown_status_names_the_field_that_would_decide_it(steel):
    c = condition(steel, "self_supply_pct")
    assert c.status == "unknown" and c.profile_value is None
    assert c.explanation == "待定：填写“自发自用电量占总用电量的比例（%）”（self_supply_pct）后可判断；条款要求不低于30%"


def test_sentences_for_other_projects_are_marked_not_for_this_one(steel, service):
    rule = rules_with(steel, "obligations", "单一电力用户", "货物报关证明")[0]
    excluded = [s.text for s in rule.sentences if s.applies is False]
    assert any("货物报关证明" in s for s in excluded)             # exporters only; the profile says exports: false
    assert any("足额清缴可再生能源发展基金" in s for s in excluded)  # loads with their own coal/gas plant only
    why = {s.text: s.why for s in rule.sentences if s.applies is False}
    assert any(w == "仅适用于出口外向型企业，本项目不是出口外向型企业" for t, w in why.items() if "货物报关证明" in t)
    exporter = service.apply_result({**json.loads((PROFILES / "guangxi_steel_direct_line.json").read_text()), "exports": True})
    rule = rules_with(exporter, "obligations", "单一电力用户", "货物报关证明")[0]
    assert not any("货物报关证明" in s.text for s in rule.sentences if s.applies is False)


def test_condition_source_span_points_at_the_words_in_the_source(steel, service):
    c = condition(steel, "direct_line_km")
    source = service.source_text(c.clause_id.split("#")[0])
    words = re.sub(r"\s", "", source[c.source_span[0]:c.source_span[1]])
    assert words == "直连线路长度原则上不超过50公里"      # the source breaks a page between 50 and 公里


def test_a_provision_triggered_by_a_figure_says_whether_it_fires(steel):
    by_field = {t.field: t for t in steel.triggers}
    assert by_field["grid_voltage_kv"].fires is False       # 接入电压等级为220千伏的 → not at 110 kV
    assert by_field["feed_in_pct"].fires is None             # 上网电量…超过20%的 → no feed-in figure given
    assert by_field["grid_voltage_kv"].explanation == "不会触发：本项目接入公用电网电压等级为110千伏，不符合条件“为220千伏”"
    assert by_field["feed_in_pct"].explanation.startswith("待定：填写“上网电量占总可用发电量的比例（%）”（feed_in_pct）后可判断")


# ------------------------------------------------------------------ example 2

def test_shanxi_aluminium_gets_the_capacity_replacement_restriction(aluminium):
    found = rules_with(aluminium, "restrictions", "产能置换", "电解铝")
    assert found and "行业：条款提及电解铝" in found[0].why
    assert any(r.kind == "industry" and r.detail["industry_id"] == "electrolytic-aluminium" for r in found[0].reasons)


def test_shanxi_aluminium_gets_the_renewable_share_target(aluminium):
    c = condition(aluminium, "renewable_share_pct", kind="target")
    assert (c.status, c.year, c.comparator, c.value) == ("unknown", 2030, ">=", 30.0)
    assert "电解铝" in c.subject
    assert "（renewable_share_pct）" in c.explanation and c.explanation.endswith("此为到2030年的目标，并非对每个项目的现行限制")
    assert any(r.group == "targets" and "电解铝使用可再生能源比例" in r.text for r in aluminium.rules)


def test_shanxi_aluminium_gets_green_power_incentives_for_energy_intensive_industries(aluminium):
    found = [r for r in aluminium.group("incentives") if re.search("高载能|高耗能", r.text) and "绿电" in r.text]
    assert len(found) >= 2
    assert any("高耗能行业：条款针对高耗能行业" in r.why for r in found)


def test_a_coal_power_condition_is_not_applicable_to_aluminium(aluminium):
    na = [n for n in aluminium.not_applicable if "捕集" in n.condition]
    assert na and na[0].reason.startswith("仅适用于煤电，本项目为电解铝")
    assert not any(c.field == "co2_capture_t_per_year" for c in aluminium.conditions)


# ------------------------------------------------------------------ example 3

def test_shanxi_data_centre_gets_green_computing_and_direct_connection_clauses(data_centre):
    texts = [r.text for r in data_centre.rules]
    assert any("绿色算力" in t and "绿电直连" in t for t in texts)
    assert any("绿电直连" in t and "专线直连" in t for t in texts)
    top = data_centre.group("incentives")[0]
    assert "绿色算力" in top.text and "数据中心" in top.why


# ------------------------------------------------------------------ jurisdiction

@pytest.mark.parametrize("name", ["shanxi_electrolytic_aluminium", "shanxi_data_centre"])
def test_a_shanxi_profile_gets_no_guangxi_rule(service, name):
    result = service.apply_result(PROFILES / f"{name}.json")
    assert result.rules
    assert {r.region for r in result.rules} == {"山西省"}
    assert "广西壮族自治区" in {d["region"] for d in result.skipped_documents}


def test_a_guangxi_profile_gets_no_shanxi_rule(steel):
    assert {r.region for r in steel.rules} == {"广西壮族自治区"}


def _clause(cid: str, region: str, text: str) -> dict:
    return {"id": cid, "path": cid.split("#")[1], "heading": "", "parents": [], "kind": "item", "text": text,
            "span": [0, len(text)], "measures": [], "industries": [], "doc_id": cid.split("#")[0],
            "conditions": [c.to_json() for c in find_conditions(text)],   # as ingest stores them
            "doc_title": f"{region}文件", "doc_number": "", "region": region}


def test_a_national_rule_binds_every_region_and_a_provincial_rule_only_its_own():
    clauses = [
        _clause("national#1", "全国", "钢铁企业新建项目应严格落实产能置换要求。"),
        _clause("gx#1", "广西壮族自治区", "钢铁企业应开展节能诊断。"),
    ]
    for region, expected in (("山西", {"national#1"}), ("广西", {"national#1", "gx#1"})):
        result = apply_profile(load_profile({"region": region, "industry": "钢铁"}), clauses)
        assert {r.clause_id for r in result.rules} == expected


@pytest.mark.parametrize("doc_region, region, city, binds, reason", [
    ("全国", "山西省", None, True, "全国性文件，适用于各地区"),
    ("山西省", "山西", None, True, "山西省文件，项目位于山西省"),
    ("广西壮族自治区", "山西省", None, False, "广西壮族自治区文件，不约束位于山西省的项目"),
    ("太原市", "山西省", "太原", True, "太原市文件，项目位于太原"),
    ("太原市", "山西省", "大同市", False, "太原市文件，仅约束太原市，项目位于大同市"),
    ("", "山西省", None, False, "文件所属地区不明，暂不判断（可在文件旁的 .meta.toml 中填写 region）"),
])
def test_binding(doc_region, region, city, binds, reason):
    b = binding(doc_region, region, city)
    assert (b.binds, b.reason) == (binds, reason)


def test_region_names_are_normalised():
    assert normalise_region("广西") == normalise_region("广西壮族自治区") == "广西壮族自治区"
    assert normalise_region("山西") == "山西省"


# ------------------------------------------------------------------ units

@pytest.mark.parametrize("written, value, unit", [
    ("30万千瓦", 300.0, "MW"), ("1.2亿千瓦", 120000.0, "MW"), ("500千瓦", 0.5, "MW"),
    ("50公里", 50.0, "km"), ("50 km", 50.0, "km"), ("50千米", 50.0, "km"),
    ("220千伏", 220.0, "kV"), ("1000吨", 1000.0, "t"), ("50万吨", 500000.0, "t"),
])
def test_quantities_are_converted_to_one_unit_per_dimension(written, value, unit):
    q = parse_quantity(written)
    assert (q.canonical_value, q.canonical_unit) == (value, unit)


def test_conversion_both_ways():
    assert convert(300, "MW", "万千瓦") == 30.0
    assert convert(30, "万千瓦", "MW") == 300.0
    assert convert(60, "公里", "km") == convert(60, "km", "公里") == 60.0


@pytest.mark.parametrize("capacity, status, gap", [(250, "met", 0.0), ("35万千瓦", "not_met", 50.0)])
def test_a_limit_in_wan_kilowatt_is_checked_against_megawatt(capacity, status, gap):
    clauses = [_clause("gx#9", "广西壮族自治区", "绿电直连项目新能源装机规模原则上不超过30万千瓦。")]
    profile = load_profile({"region": "广西", "industry": "钢铁", "direct_line_km": 10, "capacity_mw": capacity})
    c = condition(apply_profile(profile, clauses), "capacity_mw")
    assert (c.status, c.gap, c.canonical_value, c.canonical_unit) == (status, gap, 300.0, "MW")


def test_a_limit_in_kilometre_is_checked_against_km():
    clauses = [_clause("gx#8", "广西壮族自治区", "绿电直连项目直连线路长度不超过50千米。")]
    profile = load_profile({"region": "广西", "direct_line_km": 60})
    c = condition(apply_profile(profile, clauses), "direct_line_km")
    assert (c.status, c.gap) == ("not_met", 10.0)


# ------------------------------------------------------------------ constraint grammar

@pytest.mark.parametrize("text, subject, comparator, value, unit", [
    ("直连线路长度原则上不超过50公里。", "直连线路长度", "<=", 50, "公里"),
    ("煤电企业年捕集规模需达1000吨及以上。", "年捕集规模", ">=", 1000, "吨"),
    ("到2030年，电解铝使用可再生能源比例提至30%以上。", "电解铝使用可再生能源比例", ">=", 30, "%"),
    ("到2025年原煤生产电耗降至20kWh/t以内。", "原煤生产电耗", "<=", 20, "kWh/t"),
    ("废钢铁加工准入企业年加工能力超过1500万吨。", "年加工能力", ">", 1500, "万吨"),
    ("上网电量占总可用发电量的比例上限一般不超过20%。", "上网电量占总可用发电量的比例", "<=", 20, "%"),
    ("接入电压等级≤220kV。", "接入电压等级", "<=", 220, "kV"),
    ("直连线路长度小于等于30公里。", "直连线路长度", "<=", 30, "公里"),
    ("用电负荷至少10万千瓦。", "用电负荷", ">=", 10, "万千瓦"),
])
def test_comparators_follow_the_statute_reading(text, subject, comparator, value, unit):
    [c] = find_conditions(text)
    assert (c.subject, c.comparator, c.value, c.unit) == (subject, comparator, value, unit)


@pytest.mark.parametrize("text", [
    "力争到2030年示范企业吨钢碳排放量较项目实施前下降15%以上。",   # a change against a baseline
    "以30万千瓦以下煤电机组为重点开展改造。",                      # a qualifier of a noun
    "乘用车和商用车新车二氧化碳排放强度分别比2020年下降25%和20%以上。",
])
def test_changes_and_qualifiers_are_not_conditions(text):
    assert find_conditions(text) == []


def test_elided_subjects_and_scopes_are_filled_in_from_the_phrase_before():
    text = ("绿电直连项目整体新能源年自发自用电量占总可用发电量的比例应不低于60%，占总用电量的比例应不低于30%，"
            "并不断提高自发自用比例，2030年前不低于35%。依托新增负荷、有降碳刚性需求的存量出口外向型企业实施的并网型绿电直连项目，"
            "新能源上网电量占总可用发电量的比例不超过20%。")
    a, b, c, d = find_conditions(text)
    assert (map_field(a), map_field(b), map_field(c), map_field(d)) == ("self_consumption_pct", "self_supply_pct", "self_supply_pct", "feed_in_pct")
    assert b.subject.endswith("占总用电量的比例") and b.inherited and b.scope == "绿电直连项目"
    assert (c.kind, c.year, c.value) == ("target", 2030, 35)
    assert d.scope.endswith("并网型绿电直连项目") and d.kind == "requirement"


def test_a_phrase_ending_in_de_before_a_comma_is_a_trigger():
    [c] = find_conditions("并网型绿电直连项目因源荷不匹配造成上网电量占总可用发电量超过20%的，按总可用发电量的20%结算。")
    assert (c.kind, c.comparator, map_field(c), c.consequence) == ("trigger", ">", "feed_in_pct", "按总可用发电量的20%结算")


def test_a_subject_measured_in_another_dimension_is_not_mapped_to_a_field():
    [c] = find_conditions("新能源装机规模占比达到50%。")
    assert map_field(c) is None


# ------------------------------------------------------------------ profile

def test_profile_keeps_unknown_fields_and_reads_units():
    p = load_profile({"region": "广西", "capacity_mw": "40万千瓦", "project_kind": "retrofit", "exports": "否", "colour": "blue"})
    assert (p.get("capacity_mw"), p.get("project_kind"), p.get("exports")) == (400.0, "存量改造", False)
    assert p.extra == {"colour": "blue"}
    assert p.notes == ["新能源装机容量：“40万千瓦”按400兆瓦计", "以下字段未使用：colour"]


def test_profile_errors_list_every_problem():
    with pytest.raises(ProfileError) as err:
        load_profile({"direct_line_km": "fifty", "project_kind": "demolition", "exports": "maybe"})
    message = str(err.value)
    assert message.startswith("项目信息有误：")
    assert "直连线路长度（direct_line_km）" in message and "建设性质（project_kind）" in message and "exports" in message


def test_a_description_hit_tips_a_borderline_clause_in_but_never_decides_alone():
    clauses = [_clause("sx#1", "山西省", "支持战略性新兴产业企业开展绿电交易。"), _clause("sx#2", "山西省", "支持企业开展绿电交易。")]
    profile = load_profile({"region": "山西", "industry": "数据中心", "description": "想买绿电"})
    assert apply_profile(profile, clauses).rules == []        # a broad grouping alone is not enough
    result = apply_profile(profile, clauses, search=lambda q, k: [("sx#1", 3.2), ("sx#2", 3.1)])
    assert [r.clause_id for r in result.rules] == ["sx#1"]
    [described] = [r for r in result.rules[0].reasons if r.kind == "description"]
    assert (described.text, described.detail) == ("项目描述：与条款内容相近（检索排名第1）", {"rank": 1})


def test_the_service_ranks_the_description_with_its_search(built_data, monkeypatch):
    from app.service import PolicyService

    asked = []

    def search(self, query, k=10, filters=None):
        asked.append(query)
        return [{"clause_id": "jnygf-2024-195#一.4", "score": 1.0}]

    monkeypatch.setattr(PolicyService, "search", search, raising=False)
    # a service of its own: the shared one remembers this profile's check, made with the real search
    result = PolicyService(built_data).apply_result(PROFILES / "shanxi_data_centre.json")
    assert asked and "智算中心" in asked[0]
    top = next(r for r in result.rules if r.clause_id == "jnygf-2024-195#一.4")
    assert any(reason.kind == "description" for reason in top.reasons)


# ------------------------------------------------------------------ command line

def run_cli(argv, capsys):
    from app.cli import main

    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_json_has_the_documented_fields(built_data, capsys):
    code, out, _ = run_cli(["apply", "--profile", str(PROFILES / "guangxi_steel_direct_line.json"),
                            "--json", "--data", str(built_data)], capsys)
    assert code == 0
    payload = json.loads(out)
    assert payload["rules"] and payload["conditions"]
    for rule in payload["rules"]:
        assert {"clause_id", "group", "text", "why", "reasons"} <= rule.keys()
        assert rule["group"] in {"obligations", "incentives", "restrictions", "targets", "context"}
        assert rule["why"].startswith("地区：")
        for reason in rule["reasons"]:
            assert {"kind", "detail", "text"} <= reason.keys() and reason["kind"].isascii()
            assert all(key.isascii() for key in reason["detail"])
    for c in payload["conditions"]:
        assert {"clause_id", "text", "subject", "comparator", "value", "unit", "status", "explanation"} <= c.keys()
        assert c["status"] in {"met", "not_met", "unknown"}
        assert c["explanation"].startswith("待定：" if c["status"] == "unknown" else "本项目")


def test_cli_summary_is_chinese(built_data, capsys):
    code, out, _ = run_cli(["apply", "--profile", str(PROFILES / "guangxi_steel_direct_line.json"),
                            "--data", str(built_data)], capsys)
    assert code == 0
    assert out.startswith("适用政策核查：广西壮族自治区防城港市新建钢铁项目\n")
    assert "[不满足] 直连线路长度 ≤ 50公里  —— 本项目直连线路长度为60公里" in out
    assert "义务与条件（" in out and "适用原因：地区：广西壮族自治区文件" in out


@pytest.mark.parametrize("suffix", [".md", ".xlsx"])
def test_cli_writes_a_report_and_will_not_overwrite_without_force(built_data, tmp_path, capsys, suffix):
    report = tmp_path / f"report{suffix}"
    argv = ["apply", "--profile", str(PROFILES / "shanxi_data_centre.json"), "--report", str(report), "--data", str(built_data)]
    assert run_cli(argv, capsys)[0] == 0
    assert report.stat().st_size > 0
    code, _, err = run_cli(argv, capsys)
    assert code == 2 and "已存在" in err and "--force" in err
    assert run_cli(argv + ["--force"], capsys)[0] == 0


def test_markdown_report_shows_statuses_reasons_and_sources(service):
    text = service.apply_report(PROFILES / "guangxi_steel_direct_line.json", "md")
    assert "**不满足**" in text and "**满足**" in text and "**待定**" in text
    for heading in ("## 项目信息", "## 量化条件", "## 适用条款（", "### 义务与条件（", "### 激励与支持（", "### 限制（",
                    "## 不适用本项目的文件"):
        assert f"\n{heading}" in text, heading
    assert "| 直连线路长度 | 60公里 |" in text and "| 出口外向型企业 | 否 |" in text    # the profile with its Chinese labels
    assert "**适用原因**：地区：广西壮族自治区文件" in text and "原文第 " in text
    assert "不适用于本项目的内容：" in text


def _english_left(text: str) -> set[str]:
    """ASCII words in a report once ids, field keys, code spans and quoted document words are taken out."""
    text = re.sub(r"_数据：.*", "", text)
    text = re.sub(r"`[^`]*`|“[^”]*”|《[^》]*》|^> .*$|[a-z_]+=[\w.]+|（[a-z_]+）", "", text, flags=re.M)
    text = re.sub(r"\S*#\S*", "", text)                     # clause ids
    return set(re.findall(r"[A-Za-z]{2,}", text))


@pytest.mark.parametrize("name", ["guangxi_steel_direct_line", "shanxi_electrolytic_aluminium", "shanxi_data_centre"])
def test_reports_are_written_in_chinese(service, name):
    text = service.apply_report(PROFILES / f"{name}.json", "md")
    conditions = " ".join(c.condition + c.scope for c in service.apply_result(PROFILES / f"{name}.json").conditions)
    # only units and names the documents themselves write (220kV in a condition, CCUS) may remain
    assert _english_left(text) <= set(re.findall(r"[A-Za-z]{2,}", conditions)) | {"CCUS", "br"}


def test_excel_report_has_a_sheet_per_part(service, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "r.xlsx"
    path.write_bytes(service.apply_report(PROFILES / "guangxi_steel_direct_line.json", "xlsx"))
    wb = load_workbook(path)
    assert {"概要", "量化条件", "适用条款", "触发情形", "不适用本项目的文件"} <= set(wb.sheetnames)
    header = [cell.value for cell in wb["量化条件"][1]]
    assert header[:5] == ["状态", "条件", "条款原文", "项目字段", "本项目"]
    statuses = [row[0] for row in wb["量化条件"].iter_rows(min_row=2, values_only=True)]
    assert statuses.count("不满足") == 2 and set(statuses) == {"不满足", "待定", "满足"}
    summary = {row[0]: row[1] for row in wb["概要"].iter_rows(values_only=True) if row and row[0]}
    assert summary["直连线路长度"] == "60公里" and summary["义务与条件"] > 0


def test_pdf_is_refused_with_a_reason_when_no_cjk_font(built_data, tmp_path, capsys, monkeypatch):
    import rules.report as report

    monkeypatch.setattr(report, "cjk_fonts", lambda: [])
    code, _, err = run_cli(["apply", "--profile", str(PROFILES / "shanxi_data_centre.json"),
                            "--report", str(tmp_path / "r.pdf"), "--data", str(built_data)], capsys)
    assert code == 2 and err.startswith("错误：未生成 PDF：未安装中文字体") and "fc-list :lang=zh" in err and ".md 或 .xlsx" in err
    assert not (tmp_path / "r.pdf").exists()


def test_a_bad_profile_is_refused_with_exit_code_2(built_data, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"direct_line_km": "far"}', encoding="utf-8")
    code, _, err = run_cli(["apply", "--profile", str(bad), "--data", str(built_data)], capsys)
    assert code == 2 and "项目信息有误" in err and "直连线路长度（direct_line_km）" in err


@pytest.mark.browser
def test_pdf_report_is_printed_with_a_cjk_font(service, tmp_path):
    from rules.report import pdf_unavailable_reason, write_report

    reason = pdf_unavailable_reason()
    if reason:
        pytest.skip(reason)
    from pypdf import PdfReader

    path = tmp_path / "r.pdf"
    write_report(service.apply_result(PROFILES / "guangxi_steel_direct_line.json"), path)
    import unicodedata

    text = unicodedata.normalize("NFKC", PdfReader(path).pages[0].extract_text())   # the font's radicals, read as characters
    assert "防城港市" in text and "不满足" in text and "项目信息" in text


def test_each_group_is_cut_at_the_cap_with_a_count_of_the_rest(service):
    full = service.apply_result(PROFILES / "shanxi_electrolytic_aluminium.json")
    cut = service.apply_result(PROFILES / "shanxi_electrolytic_aluminium.json", cap=2)
    for group in ("incentives", "restrictions"):
        assert len(cut.group(group)) == 2
        assert cut.more[group] == len(full.group(group)) - 2
        assert [r.clause_id for r in cut.group(group)] == [r.clause_id for r in full.group(group)[:2]]


def test_a_vehicle_rule_is_not_a_rule_for_an_aluminium_smelter(aluminium):
    assert not any("老旧车辆" in r.text for r in aluminium.rules)       # 加快淘汰高耗能高排放老旧车辆: vehicles
    limits = [r for r in aluminium.rules if "坚决遏制高耗能高排放低水平项目盲目发展" in r.text]
    assert limits and limits[0].group == "restrictions"              # 高耗能高排放项目: the industries' projects


@pytest.mark.parametrize("text, applies", [
    ("加快淘汰高耗能高排放老旧车辆。", False),
    ("淘汰落后产能及高耗能工艺、装备。", False),
    ("推广高耗能设备节能改造。", False),
    ("严格执行高耗能高排放项目准入管理相关规定。", True),
    ("推动高耗能企业建立能源管理中心。", True),
    ("严禁对高耗能、高排放、资源型行业实施优惠电价。", True),
])
def test_energy_intensive_as_an_adjective_of_things_is_not_the_industry_group(text, applies):
    result = apply_profile(load_profile({"region": "山西", "industry": "电解铝"}), [_clause("sx#1", "山西省", text)])
    assert bool(result.rules) is applies
    if applies:
        assert [r.kind for r in result.rules[0].reasons] == ["region", "energy_intensive"]
