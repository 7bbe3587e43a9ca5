"""Routing cases written from the seed documents, city by city (Analysis built directly)."""

from __future__ import annotations

import pytest

import routing
from tests.routing.helpers import MONDAY_10, analysis

# (city, analysis, expected agency ids in order (prefix), multi_agency, needs_district)
CASES = [
    # 周南市: the plan's 地区 → 地域包括支援センター table
    ("shunan", analysis("介護", speaker="家族", district="kume"), ["toubu-houkatsu"], False, False),
    ("shunan", analysis("介護", district="kumage"), ["toubu-houkatsu", "tennouen"], False, False),
    ("shunan", analysis("介護", district="kisan"), ["tsuzumien-houkatsu"], False, False),
    ("shunan", analysis("介護", district="ozushima"), ["tsuzumien-houkatsu"], False, False),
    ("shunan", analysis("介護", district="imajuku"), ["ishikai-houkatsu"], False, False),
    ("shunan", analysis("介護", district="kanmon"), ["ishikai-houkatsu"], False, False),
    ("shunan", analysis("介護", district="tonda"), ["seibu-houkatsu"], False, False),
    ("shunan", analysis("介護", district="heta"), ["seibu-houkatsu", "seibu-ikiiki"], False, False),
    ("shunan", analysis("介護", district="susuma"), ["hokubu-houkatsu"], False, False),
    ("shunan", analysis("介護", district="kano"), ["hokubu-houkatsu", "yamanamisou"], False, False),
    ("shunan", analysis("介護"), ["moyai"], False, True),
    ("shunan", analysis("生活費", "借金"), ["jiritsu"], False, False),
    ("shunan", analysis("子育て", age_band="adult"), ["anshin-kosodate", "kodomo-hoiku"], False,
     False),
    ("shunan", analysis("障がい", speaker="家族"), ["shogai-ka", "paretto"], False, False),
    ("shunan", analysis("ひきこもり"), ["hikikomori"], False, False),
    # 8050: ひきこもり + 介護 → もやいネットセンター first (多機関協働), then the specialists
    ("shunan", analysis("ひきこもり", "介護", speaker="家族", district="toishi"),
     ["moyai", "hikikomori", "ishikai-houkatsu"], True, False),
    # ダブルケア / ヤングケアラー
    ("shunan", analysis("ケアラー", "子育て", "介護", district="shuyo"),
     ["moyai", "anshin-kosodate", "kodomo-hoiku", "tsuzumien-houkatsu"], True, False),
    ("shunan", analysis("ケアラー", "生活費", age_band="child"),
     ["moyai", "anshin-kosodate", "jiritsu"], True, False),
    ("shunan", analysis(), ["moyai"], False, False),
    ("shunan", analysis("こころ"), ["moyai"], False, False),
    # あわら市: one 地域包括 for the city; 福祉まるごと相談室 is the door to 多機関協働
    ("awara", analysis("介護", speaker="家族"), ["houkatsu"], False, False),
    ("awara", analysis("障がい"), ["kikan-soudan", "itaku-soudan"], False, False),
    ("awara", analysis("子育て"), ["kosodate-sedai"], False, False),
    ("awara", analysis("住まい"), ["jiritsu"], False, False),
    ("awara", analysis("ひきこもり"), ["marugoto"], False, False),
    ("awara", analysis("ひきこもり", "介護"), ["marugoto", "houkatsu"], True, False),
    ("awara", analysis(), ["marugoto"], False, False),
    # 山口市: ふくまる相談室 takes everything, also ひきこもり・不登校
    ("yamaguchi", analysis("ひきこもり", speaker="家族"), ["fukumaru"], False, False),
    ("yamaguchi", analysis("介護"), ["houkatsu"], False, False),
    ("yamaguchi", analysis("子育て"), ["kodomo-katei", "kosodate-fukushi"], False, False),
    ("yamaguchi", analysis("生活費"), ["jiritsu"], False, False),
    # 病気・健康 has no specialist: ふくまる相談室 takes that part
    ("yamaguchi", analysis("住まい", "病気・健康", "仕事"), ["jiritsu", "fukumaru"], False, False),
    ("yamaguchi", analysis("DV・虐待", "子育て"), ["fukumaru", "kodomo-katei",
                                                   "kosodate-fukushi"], True, False),
    # 廿日市市: 相談まるごとサポートデスク, はつステ for ひきこもり
    ("hatsukaichi", analysis("ひきこもり", speaker="家族"), ["hatsute"], False, False),
    ("hatsukaichi", analysis("介護"), ["marugoto-desk"], False, False),
    ("hatsukaichi", analysis("借金"), ["marugoto-desk"], False, False),
    ("hatsukaichi", analysis("ひきこもり", "生活費"), ["marugoto-desk", "hatsute"], True, False),
    # 能美市: あんしん相談センター per area (根上・寺井・辰口)
    ("nomi", analysis("介護", district="neagari"), ["neagari-anshin"], False, False),
    ("nomi", analysis("介護", district="terai"), ["terai-anshin"], False, False),
    ("nomi", analysis("介護", district="tatsunokuchi"), ["tatsunokuchi-anshin"], False, False),
    ("nomi", analysis("介護"), ["nomi-ikiiki"], False, True),
    ("nomi", analysis("障がい", district="terai"), ["terai-anshin"], False, False),
    ("nomi", analysis("障がい", age_band="child"), ["kodomo-station"], False, False),
    ("nomi", analysis("ひきこもり", speaker="家族", district="tatsunokuchi"),
     ["tatsunokuchi-anshin"], False, False),
    ("nomi", analysis("ひきこもり", "介護", district="neagari"), ["neagari-anshin"], True, False),
    ("nomi", analysis("ひきこもり", "介護"), ["nomi-ikiiki"], True, True),
    ("nomi", analysis("仕事", age_band="youth"), ["rinku"], False, False),
    ("nomi", analysis("生活費"), ["kurashi-support"], False, False),
    ("nomi", analysis("子育て"), ["kodomo-station"], False, False),
    ("nomi", analysis(), ["nomi-ikiiki"], False, False),      # a greeting: no district asked
    ("nomi", analysis(district="terai"), ["terai-anshin"], False, False),
    ("nomi", analysis("その他", district=routing.UNKNOWN_DISTRICT), ["nomi-ikiiki"], False, False),
]


@pytest.mark.parametrize("city,an,ids,multi,needs", CASES,
                         ids=[f"{c[0]}-{'+'.join(c[1].categories) or 'none'}-{c[1].district}"
                              for c in CASES])
def test_route_case(city, an, ids, multi, needs):
    d = routing.load_directory(city)
    r = routing.route(an, d, MONDAY_10)
    assert [a.id for a in r.agencies] == ids
    assert r.multi_agency is multi
    assert r.needs_district is needs
    assert r.agencies, "no concern is turned away"
    if multi:
        assert r.agencies[0].general and r.agencies[0].id in d.general_windows
    for ref in r.agencies:
        assert ref.reason.endswith("。") and "対象外" not in ref.reason
        assert ref.next_step


def test_reason_is_warm_and_names_the_district():
    d = routing.load_directory("shunan")
    r = routing.route(analysis("介護", speaker="家族", district="kume"), d, MONDAY_10)
    reason = r.agencies[0].reason
    assert reason.startswith("ご家族の介護のご相談なので")
    assert "久米地区" in reason and "周南東部地域包括支援センター" in reason
    assert "ます。" in reason


def test_missing_phone_and_hours_tell_how_to_confirm():
    d = routing.load_directory("shunan")
    r = routing.route(analysis("生活費"), d, MONDAY_10)
    ref = r.agencies[0]
    assert ref.phone is None and ref.open_now is None
    # 周南市 overrides the text: the plan's one phone number (もやいネットセンター) can tell
    assert ref.next_step == ("電話番号と受付時間は、市のホームページか、もやいネットセンター"
                             "（0834-22-8200）でご確認ください。")
    awara = routing.route(analysis("生活費"), routing.load_directory("awara"), MONDAY_10)
    assert awara.agencies[0].next_step == "電話番号と受付時間は市のホームページでご確認ください。"
    moyai = routing.route(analysis(), d, MONDAY_10).agencies[0]
    assert moyai.phone == "0834-22-8200"
    assert moyai.next_step == "受付時間は市のホームページか電話でご確認ください。"


def test_needs_district_exposes_the_quick_replies():
    d = routing.load_directory("nomi")
    r = routing.route(analysis("介護", speaker="家族"), d, MONDAY_10)
    assert r.needs_district
    assert r.district_question
    assert [label for _, label in r.district_choices] == ["根上", "寺井", "辰口",
                                                          "その他・わからない"]
    # the general window still answers meanwhile
    assert r.agencies[0].id == "nomi-ikiiki" and r.agencies[0].open_now is True


def test_unknown_district_answer_stops_asking():
    d = routing.load_directory("shunan")
    r = routing.route(analysis("介護", district=routing.UNKNOWN_DISTRICT), d, MONDAY_10)
    assert not r.needs_district and [a.id for a in r.agencies] == ["moyai"]


def test_district_not_in_this_city_is_ignored():
    d = routing.load_directory("nomi")
    r = routing.route(analysis("介護", district="kume"), d, MONDAY_10)
    assert r.district is None and r.needs_district


@pytest.mark.parametrize("city", ["shunan", "awara", "yamaguchi", "hatsukaichi", "nomi"])
def test_crisis_puts_emergency_lines_first_and_asks_for_a_human(city):
    d = routing.load_directory(city)
    r = routing.route(analysis("こころ", crisis=True), d, MONDAY_10)
    assert r.crisis and r.urgent_handoff
    phones = [c.phone for c in r.emergency_contacts]
    assert phones[:2] == ["110", "119"]
    assert "0570-783-556" in phones and "0120-279-338" in phones
    assert r.agencies[0].general
    assert not r.needs_district           # a crisis never waits for a button


def test_dv_offers_the_dv_lines_even_when_windows_are_open():
    d = routing.load_directory("nomi")
    r = routing.route(analysis("DV・虐待", district="terai"), d, MONDAY_10)
    phones = [c.phone for c in r.emergency_contacts]
    assert "0120-279-889" in phones and "#8008" in phones
    crisis = routing.route(analysis("DV・虐待", crisis=True), d, MONDAY_10)
    assert [c.phone for c in crisis.emergency_contacts][:3] == ["110", "119", "0120-279-889"]


def test_child_abuse_goes_to_the_child_center_with_189():
    d = routing.load_directory("nomi")
    r = routing.route(analysis("DV・虐待", age_band="child", speaker="地域"), d, MONDAY_10)
    assert r.agencies[0].id == "kodomo-station"
    assert "189" in [c.phone for c in r.emergency_contacts]


def test_city_rules_override_the_defaults():
    # 能美市: あんしん相談センター is the 総合的な相談窓口 for 障がい too; elsewhere 障害者相談支援
    nomi = routing.load_directory("nomi")
    awara = routing.load_directory("awara")
    assert nomi.rules.categories["障がい"].kinds[0] == "地域包括支援センター"
    assert awara.rules.categories["障がい"].kinds[0] == "障害者相談支援"


def test_to_json_shape():
    d = routing.load_directory("nomi")
    out = routing.route(analysis("介護", district="terai"), d, MONDAY_10).to_json()
    assert set(out) >= {"categories", "crisis", "district", "agencies", "multi_agency",
                        "emergency_contacts"}
    assert set(out["agencies"][0]) >= {"id", "name", "kind", "phone", "open_now", "reason"}
