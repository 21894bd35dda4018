"""The shipped table of China's jurisdictions and its look-ups."""
from __future__ import annotations

import pytest

from ingest.errors import IngestError
from ingest.regions import default_table


@pytest.fixture(scope="module")
def table():
    return default_table()


def test_table_covers_every_province_and_county(table):
    levels = {}
    for code in ("330000", "331000", "331081", "110000", "650000", "429021"):
        levels[code] = table.by_code(code).level
    assert levels == {"330000": "province", "331000": "prefecture", "331081": "county", "110000": "province",
                      "650000": "province", "429021": "county"}
    assert len(table) > 3000


@pytest.mark.parametrize("name, path", [
    ("温岭市", "浙江省台州市温岭市"),
    ("温岭", "浙江省台州市温岭市"),
    ("延边", "吉林省延边朝鲜族自治州"),
    ("内蒙古", "内蒙古自治区"),
    ("东城区", "北京市东城区"),
    ("仙桃市", "湖北省仙桃市"),
])
def test_resolve_full_and_short_names(table, name, path):
    assert table.resolve(name).path == path


def test_shared_name_resolves_only_in_context(table):
    assert table.resolve("朝阳区") is None
    beijing = table.resolve("北京市")
    assert table.resolve("朝阳区", within=beijing).path == "北京市朝阳区"


@pytest.mark.parametrize("text, path, end", [
    ("温岭市人民政府办公室", "浙江省台州市温岭市", 3),
    ("浙江省台州市温岭市发展和改革局", "浙江省台州市温岭市", 9),
    ("嘉兴市人民政府", "浙江省嘉兴市", 3),
    ("北京市朝阳区人民政府", "北京市朝阳区", 6),
])
def test_leading_reads_the_chain_of_names(table, text, path, end):
    match = table.leading(text)
    assert (match.region.path, match.end) == (path, end)


@pytest.mark.parametrize("text", ["市市场监管局", "县人力社保局", "国务院办公厅", "新华社"])
def test_leading_finds_no_region_in_unnamed_agencies(table, text):
    assert table.leading(text) is None


def test_users_extend_the_table(tmp_path, monkeypatch):
    extra = tmp_path / "zones.tsv"
    extra.write_text("adcode\tname\tlevel\tparent\taliases\nZ1\t温岭经济开发区\tzone\t331081\t温岭经开区\n", encoding="utf-8")
    monkeypatch.setenv("POLICYKG_REGIONS", str(extra))
    assert default_table().resolve("温岭经开区").path == "浙江省台州市温岭市温岭经济开发区"


def test_bad_user_table_names_the_file(tmp_path, monkeypatch):
    extra = tmp_path / "bad.tsv"
    extra.write_text("adcode\tname\tlevel\tparent\nZ1\t某区\tzone\t999999\n", encoding="utf-8")
    monkeypatch.setenv("POLICYKG_REGIONS", str(extra))
    with pytest.raises(IngestError, match="bad.tsv"):
        default_table()
