"""Units as policy texts write them, and conversion to one unit per dimension.

Every quantity is compared in a canonical unit: ``km`` for lengths, ``kV``
for voltages, ``MW`` for power, ``t`` for mass, ``%`` for shares, ``kWh``
for energy, ``tce`` (tonnes of standard coal) for energy use, ``元`` for
money.  ``50公里`` and ``50 km`` are the same quantity; ``30万千瓦`` is
300 MW.

    >>> parse_quantity("30万千瓦")
    Quantity(value=30.0, unit='万千瓦', canonical_value=300.0, canonical_unit='MW')
    >>> convert(300, "MW", "万千瓦")
    30.0

Text for people uses Chinese unit names (:func:`unit_zh`, :func:`format_zh`):
``60 km`` is shown as ``60公里``, ``220 kV`` as ``220千伏``.
"""
from __future__ import annotations

from dataclasses import dataclass

from ingest.extract.quantity import find_quantities

# written unit → (canonical unit, factor to the canonical unit)
UNITS: dict[str, tuple[str, float]] = {
    # length
    "公里": ("km", 1.0), "千米": ("km", 1.0), "km": ("km", 1.0), "KM": ("km", 1.0), "米": ("km", 0.001), "m": ("km", 0.001),
    # voltage
    "千伏": ("kV", 1.0), "kV": ("kV", 1.0), "kv": ("kV", 1.0), "KV": ("kV", 1.0), "伏": ("kV", 0.001), "V": ("kV", 0.001),
    # power
    "亿千瓦": ("MW", 1e5), "万千瓦": ("MW", 10.0), "千瓦": ("MW", 0.001), "kW": ("MW", 0.001), "KW": ("MW", 0.001),
    "兆瓦": ("MW", 1.0), "MW": ("MW", 1.0), "吉瓦": ("MW", 1000.0), "GW": ("MW", 1000.0),
    # energy
    "亿千瓦时": ("kWh", 1e8), "万千瓦时": ("kWh", 1e4), "千瓦时": ("kWh", 1.0), "kWh": ("kWh", 1.0), "度": ("kWh", 1.0),
    "kWh/t": ("kWh/t", 1.0),
    # energy use
    "万吨标准煤": ("tce", 1e4), "吨标准煤": ("tce", 1.0), "万吨标煤": ("tce", 1e4), "吨标煤": ("tce", 1.0), "tce": ("tce", 1.0),
    # mass
    "亿吨": ("t", 1e8), "万吨": ("t", 1e4), "吨": ("t", 1.0), "t": ("t", 1.0), "千克": ("t", 0.001), "kg": ("t", 0.001),
    # shares
    "%": ("%", 1.0), "％": ("%", 1.0), "个百分点": ("pp", 1.0), "百分点": ("pp", 1.0),
    # money
    "亿元": ("元", 1e8), "万元": ("元", 1e4), "元": ("元", 1.0),
}



# canonical or ASCII unit → the Chinese name shown to people
ZH_NAMES: dict[str, str] = {
    "km": "公里", "KM": "公里", "m": "米", "kV": "千伏", "kv": "千伏", "KV": "千伏", "V": "伏",
    "kW": "千瓦", "KW": "千瓦", "MW": "兆瓦", "GW": "吉瓦", "kWh": "千瓦时", "kWh/t": "千瓦时/吨",
    "tce": "吨标准煤", "t": "吨", "kg": "千克", "pp": "个百分点", "％": "%",
}


class UnitError(ValueError):
    pass


@dataclass(frozen=True)
class Quantity:
    value: float            # as written
    unit: str               # as written (万千瓦, 公里, %)
    canonical_value: float
    canonical_unit: str     # MW, km, %


def canonical(unit: str) -> str:
    """The canonical unit of a written unit (``万千瓦`` → ``MW``); a canonical unit maps to itself."""
    if unit in UNITS:
        return UNITS[unit][0]
    raise UnitError(f"未知单位“{unit}”")


def quantity(value: float, unit: str) -> Quantity:
    target, factor = UNITS.get(unit, (None, None))
    if target is None:
        raise UnitError(f"未知单位“{unit}”")
    return Quantity(float(value), unit, _round(float(value) * factor), target)


def parse_quantity(text: str) -> Quantity:
    """``"30万千瓦"`` → 30 万千瓦 = 300 MW; raises :class:`UnitError` if it is not one number and a known unit."""
    stripped = text.strip()
    found = find_quantities(stripped, units=tuple(UNITS))
    q = found[0] if len(found) == 1 else None
    if q is None or (q.start, q.end) != (0, len(stripped)) or q.unit not in UNITS or q.approx or q.bound:
        raise UnitError(f"“{text}”不是数字加已知单位（如 50公里、30万千瓦、220 kV）")
    return quantity(q.value, q.unit)


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert between two written or canonical units of the same dimension."""
    a, fa = UNITS.get(from_unit, (None, None))
    b, fb = UNITS.get(to_unit, (None, None))
    if a is None or b is None:
        raise UnitError(f"未知单位“{from_unit if a is None else to_unit}”")
    if a != b:
        raise UnitError(f"“{unit_zh(from_unit)}”不能换算为“{unit_zh(to_unit)}”")
    return _round(value * fa / fb)


def same_dimension(unit_a: str, unit_b: str) -> bool:
    a, b = UNITS.get(unit_a), UNITS.get(unit_b)
    return bool(a and b and a[0] == b[0])


def format_value(value: float, unit: str = "") -> str:
    """``50.0, "km"`` → ``50 km``; ``55, "%"`` → ``55%``."""
    text = f"{value:g}" if abs(value) < 1e15 else f"{value:.3e}"
    if not unit:
        return text
    return f"{text}{unit}" if unit in ("%", "％") or not unit.isascii() else f"{text} {unit}"


def unit_zh(unit: str) -> str:
    """The Chinese name of a unit: ``km`` → ``公里``; a unit written in Chinese is returned as is."""
    return ZH_NAMES.get(unit, unit)


def format_zh(value: float, unit: str = "") -> str:
    """``60.0, "km"`` → ``60公里``; ``55, "%"`` → ``55%``: the number and the unit's Chinese name, no space."""
    text = f"{value:g}" if abs(value) < 1e15 else f"{value:.3e}"
    return text + unit_zh(unit)


def _round(x: float) -> float:
    """Strip binary noise (0.1 * 3 → 0.3) without losing meaningful digits."""
    return float(f"{x:.12g}")
