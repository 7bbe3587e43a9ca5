"""Every seed directory loads, and holds what the seed documents say."""

from __future__ import annotations

import pytest

import routing
from routing.directory import DATA_DIR, check_file

CITIES = ["shunan", "awara", "yamaguchi", "hatsukaichi", "nomi"]


@pytest.mark.parametrize("city", CITIES)
def test_seed_directory_loads_and_checks_ok(city):
    d = routing.load_directory(city)
    assert d.id == city
    assert d.agencies and d.general_windows
    errors, summary = check_file(DATA_DIR / f"{city}.yaml")
    assert errors == [] and summary.startswith(f"OK {city}.yaml")


@pytest.mark.parametrize("name", ["_national.yaml", "_rules.yaml"])
def test_shared_files_check_ok(name):
    errors, summary = check_file(DATA_DIR / name)
    assert errors == [] and summary.startswith("OK")


def test_load_by_path_and_cache():
    by_id = routing.load_directory("nomi")
    assert routing.load_directory(str(DATA_DIR / "nomi.yaml")) is by_id
    assert routing.load_directory("nomi") is by_id


def test_every_national_line_names_its_official_source():
    d = routing.load_directory("nomi")
    phones = {c.id: c.phone for c in d.national}
    assert phones["yorisoi"] == "0120-279-338"
    assert phones["inochi-navi"] == "0570-783-556"
    assert phones["inochi-free"] == "0120-783-556"
    assert phones["dv-navi"] == "#8008"
    assert phones["dv-plus"] == "0120-279-889"
    assert phones["jidou-189"] == "189"
    assert phones["kokoro-dial"] == "0570-064-556"
    for c in d.national:
        assert "https://" in c.source, c.id


def test_cities_share_one_national_file():
    lines = {city: [c.phone for c in routing.load_directory(city).national] for city in CITIES}
    assert len({tuple(v) for v in lines.values()}) == 1


def test_shunan_lists_the_plan_s_districts_and_8_houkatsu():
    d = routing.load_directory("shunan")
    names = {x.name for x in d.districts}
    assert {"久米", "櫛浜", "鼓南", "熊毛", "周陽", "桜木", "秋月", "岐山", "大津島", "遠石",
            "関門", "中央", "今宿", "菊川", "富田", "和田", "福川", "夜市", "戸田", "湯野",
            "須々万", "長穂", "向道", "中須", "須金", "鹿野"} == names
    houkatsu = [a for a in d.agencies if a.kind == "地域包括支援センター"]
    assert len(houkatsu) == 8        # 5 centers, 2 branches, 1 satellite
    covered = {x for a in houkatsu for x in a.districts}
    assert covered == {x.id for x in d.districts}
    assert d.agency("moyai").phone == "0834-22-8200"
    disability = [a for a in d.agencies if a.kind == "障害者相談支援"]
    assert len(disability) == 7


def test_nomi_has_three_anshin_centers_one_per_area():
    d = routing.load_directory("nomi")
    anshin = {a.districts: a.name for a in d.agencies if "あんしん相談センター" in a.name}
    assert anshin == {("neagari",): "根上あんしん相談センター",
                      ("terai",): "寺井あんしん相談センター",
                      ("tatsunokuchi",): "辰口あんしん相談センター"}
    rinku = d.agency("rinku")
    assert rinku.phone == "070-8800-0005"
    assert rinku.hours.week[0] == ((9 * 60, 15 * 60),) and rinku.hours.week[5] == ()


def test_district_spellings_for_the_classifier():
    spellings = routing.load_directory("nomi").district_spellings()
    assert "根上" in spellings["neagari"] and "たつのくち" in spellings["tatsunokuchi"]
    shunan = routing.load_directory("shunan").district_spellings()
    assert "中央" not in shunan["chuo"] and "中央地区" in shunan["chuo"]   # too common alone
    assert "戸田地区" in shunan["heta"]
    # 廿日市 alone is inside 廿日市市: it must not be spotted in every message
    assert "廿日市" not in routing.load_directory("hatsukaichi").district_spellings()[
        "hatsukaichi"]


def test_district_choices_end_with_unknown():
    choices = routing.load_directory("nomi").district_choices()
    assert choices[:3] == [("neagari", "根上"), ("terai", "寺井"), ("tatsunokuchi", "辰口")]
    assert choices[-1] == (routing.UNKNOWN_DISTRICT, "その他・わからない")


@pytest.mark.parametrize("city", CITIES)
def test_hours_are_only_where_documents_give_them(city):
    d = routing.load_directory(city)
    with_hours = {a.id for a in d.agencies if a.hours is not None}
    expected = {"nomi": {"nomi-ikiiki", "rinku"}}.get(city, set())
    assert with_hours == expected
