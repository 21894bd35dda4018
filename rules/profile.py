"""A project profile: where the project is, what it is, and its numbers.

A profile is a JSON object (a file, or the same fields from the app).  The
fields below are the ones the engine understands; numeric fields are in the
unit given here, or a string with a unit (``"30万千瓦"``, ``"60 km"``) that
is converted.  Unknown fields are kept and listed as unused, never refused.

    {"region": "广西", "industry": "钢铁", "project_kind": "新建",
     "direct_line_km": 60, "grid_voltage_kv": 110, "self_consumption_pct": 55}
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.extract.units import UnitError, convert, format_zh, parse_quantity, unit_zh


@dataclass(frozen=True)
class ProfileField:
    """One profile field: its JSON name, and how people see it (the one place for that)."""

    name: str           # the JSON key scripts use
    label: str          # the words Chinese documents use for it, shown everywhere
    kind: str           # text / choice / bool / number
    unit: str = ""      # canonical unit for numbers (ASCII: km, kV, MW …)
    help: str = ""      # the form's help, in Chinese
    choices: tuple[str, ...] = ()

    @property
    def unit_label(self) -> str:
        """The unit as people read it: ``公里`` for ``km``."""
        return unit_zh(self.unit)

    @property
    def display_label(self) -> str:
        """``直连线路长度（公里）`` for numbers, the label alone otherwise."""
        return f"{self.label}（{self.unit_label}）" if self.unit else self.label

    def format(self, value: Any) -> str:
        """A value of this field as people read it: ``60公里``, ``是``, ``广西壮族自治区``."""
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, (int, float)):
            return format_zh(value, self.unit)
        return str(value)


PROJECT_KINDS = ("新建", "扩建", "存量改造")

FIELDS: tuple[ProfileField, ...] = (
    ProfileField("region", "省份", "text", help="省级行政区，如 山西、山西省、广西壮族自治区"),
    ProfileField("city", "城市", "text", help="设区市，如 太原市"),
    ProfileField("industry", "行业", "text", help="按行业分类识别，如 电解铝、数据中心、钢铁"),
    ProfileField("project_kind", "建设性质", "choice", choices=PROJECT_KINDS, help="新建、扩建或存量改造"),
    ProfileField("exports", "出口外向型企业", "bool", help="企业是否出口（或为出口企业配套）"),
    ProfileField("own_power_plant", "燃煤燃气自备电厂", "bool", help="负荷是否配有燃煤或燃气自备电厂"),
    ProfileField("grid_connected", "并网型", "bool", help="是：并网型（整体接入公用电网）；否：离网型。"
                 "填写了接入电压等级或上网电量比例时按并网型处理"),
    ProfileField("load_mw", "用电负荷", "number", "MW", help="规划用电负荷"),
    ProfileField("capacity_mw", "新能源装机容量", "number", "MW", help="规划新能源发电装机"),
    ProfileField("direct_line_km", "直连线路长度", "number", "km", help="电源到负荷的直连线路长度"),
    ProfileField("grid_voltage_kv", "接入公用电网电压等级", "number", "kV", help="项目整体接入公用电网的电压等级"),
    ProfileField("self_consumption_pct", "自发自用电量占总可用发电量的比例", "number", "%", help="新能源年自发自用电量 ÷ 总可用发电量"),
    ProfileField("self_supply_pct", "自发自用电量占总用电量的比例", "number", "%", help="新能源年自发自用电量 ÷ 项目总用电量"),
    ProfileField("feed_in_pct", "上网电量占总可用发电量的比例", "number", "%", help="新能源上网电量 ÷ 总可用发电量"),
    ProfileField("renewable_share_pct", "可再生能源（绿电）使用比例", "number", "%", help="项目用电中可再生能源（绿电）的比例"),
    ProfileField("co2_capture_t_per_year", "年二氧化碳捕集规模", "number", "t", help="每年捕集的二氧化碳吨数"),
    ProfileField("energy_use_tce", "年综合能源消费量", "number", "tce", help="每年综合能源消费量（吨标准煤）"),
    # the figures award and subsidy rules are written on (对投资额达到…、年销售收入首次突破…的企业给予…)
    ProfileField("investment_wan_yuan", "投资额", "number", "万元", help="项目（含设备）投资额，万元"),
    ProfileField("revenue_wan_yuan", "年营业收入（销售额）", "number", "万元", help="企业上一年度营业收入或销售额，万元"),
    ProfileField("tax_wan_yuan", "年纳税额", "number", "万元", help="企业上一年度缴纳的税收，万元"),
    ProfileField("description", "项目描述", "text", help="自由填写；用于识别项目涉及的政策主题，如 绿电直连、CCUS、源网荷储"),
)
FIELDS_BY_NAME = {f.name: f for f in FIELDS}

_TRUE = {"true", "yes", "y", "1", "是", "有", "对"}
_FALSE = {"false", "no", "n", "0", "否", "无", "没有", "不"}
_KIND_ALIASES = {
    "新建": "新建", "新增": "新建", "新上": "新建", "new": "新建",
    "扩建": "扩建", "改扩建": "扩建", "expansion": "扩建", "extend": "扩建",
    "存量改造": "存量改造", "存量": "存量改造", "改造": "存量改造", "技术改造": "存量改造", "retrofit": "存量改造", "existing": "存量改造",
}


class ProfileError(ValueError):
    """A profile that cannot be read; the message lists every problem."""


@dataclass
class Profile:
    values: dict[str, Any] = field(default_factory=dict)   # known fields, normalised
    extra: dict[str, Any] = field(default_factory=dict)    # unknown fields, kept as given
    notes: list[str] = field(default_factory=list)         # how values were read (unit conversions …)

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def __getattr__(self, name: str) -> Any:
        if name in FIELDS_BY_NAME:
            return self.values.get(name)
        raise AttributeError(name)

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "")

    @property
    def grid_connected_inferred(self) -> bool | None:
        """并网型 (True), 离网型 (False) or not known (None)."""
        if self.values.get("grid_connected") is not None:
            return self.values["grid_connected"]
        if self.has("grid_voltage_kv") or (self.get("feed_in_pct") or 0) > 0:
            return True
        return None

    def to_json(self) -> dict[str, Any]:
        return {**self.values, **({"extra": self.extra} if self.extra else {})}


def load_profile(source: str | Path | dict[str, Any] | Profile) -> Profile:
    """A profile from a JSON file path or an already-parsed dict (a :class:`Profile` is returned as is)."""
    if isinstance(source, Profile):
        return source
    if isinstance(source, dict):
        data = source
    else:
        path = Path(source)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ProfileError(f"{path}：文件不存在") from None
        except json.JSONDecodeError as err:
            raise ProfileError(f"{path}：不是有效的 JSON（{err}）") from None
        if not isinstance(data, dict):
            raise ProfileError(f"{path}：项目信息应为 JSON 对象（字段: 值），读到的是 {type(data).__name__}")
    return parse_profile(data)


def parse_profile(data: dict[str, Any]) -> Profile:
    profile = Profile()
    problems: list[str] = []
    for key, raw in data.items():
        spec = FIELDS_BY_NAME.get(key)
        if spec is None:
            profile.extra[key] = raw
            continue
        if raw is None or raw == "":
            continue
        try:
            profile.values[key] = _normalise(spec, raw, profile.notes)
        except (ValueError, TypeError) as err:
            problems.append(f"{spec.label}（{key}）：{err}")
    if problems:
        raise ProfileError("项目信息有误：\n  " + "\n  ".join(problems))
    if profile.extra:
        profile.notes.append("以下字段未使用：" + "、".join(sorted(profile.extra)))
    return profile


def _normalise(spec: ProfileField, raw: Any, notes: list[str]) -> Any:
    if spec.kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(f"应填写 是 或 否（true / false），读到 {raw!r}")
    if spec.kind == "number":
        if isinstance(raw, bool):
            raise ValueError(f"应填写数字（单位：{spec.unit_label}），读到 {raw!r}")
        if isinstance(raw, (int, float)):
            return float(raw)
        text = str(raw).strip()
        try:
            return float(text)
        except ValueError:
            pass
        try:
            q = parse_quantity(text)
            value = convert(q.value, q.unit, spec.unit)
        except UnitError as err:
            raise ValueError(f"{err}；本项单位为{spec.unit_label}") from None
        notes.append(f"{spec.label}：“{text}”按{spec.format(value)}计")
        return value
    if spec.kind == "choice":
        text = str(raw).strip()
        value = _KIND_ALIASES.get(text.lower()) or _KIND_ALIASES.get(text)
        if value is None:
            raise ValueError(f"应为 {'、'.join(spec.choices)} 之一，读到 {raw!r}")
        return value
    if spec.name == "region":
        from rules.jurisdiction import normalise_region

        return normalise_region(str(raw))
    if not isinstance(raw, str):
        raise ValueError(f"应填写文字，读到 {raw!r}")
    return raw.strip()
