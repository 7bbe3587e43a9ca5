"""Routing: from what the classifier understood to referrals for one municipality.

Each category has a rule (_rules.yaml, overridable per city): its field and the agency kinds
that take it, in order, optionally by age band. The first kind with an agency that takes
this category, this age and this district wins. A 地域包括 and other district-scoped agencies
need the district: when it is unknown, `needs_district` asks for it and the general window
answers meanwhile. Several fields at once → the general window (multi_agency) first, then the
specialists. Crisis → emergency lines and an urgent human handoff. Nothing is ever refused:
with no category or no specialist, the general window takes it.
"""

from __future__ import annotations

from datetime import datetime

from intents.result import Analysis
from routing import hours as H
from routing.model import (
    AGE_BANDS,
    BAND_RANGES,
    UNKNOWN_DISTRICT,
    Agency,
    Availability,
    Directory,
    EmergencyContact,
    Referral,
    Routing,
)


def _age_ok(agency: Agency, band: str | None) -> bool:
    if band is None or agency.ages is None:
        return True
    lo, hi = BAND_RANGES[band]
    a_lo, a_hi = agency.ages
    return (hi is None or a_lo <= hi) and (a_hi is None or lo <= a_hi)


def _takes(agency: Agency, category: str, field: str) -> bool:
    return category in agency.categories or field in agency.fields or "全" in agency.fields


def _pick(directory: Directory, kinds: tuple[str, ...], category: str, field: str,
          band: str | None, district: str | None) -> tuple[list[Agency], bool]:
    """(agencies, pending): pending means the right agency depends on the unknown district."""
    for kind in kinds:
        cands = [a for a in directory.referable_of_kind(kind)
                 if _takes(a, category, field) and _age_ok(a, band)]
        if not cands:
            continue
        citywide = [a for a in cands if not a.districts]
        if district is None and not citywide:
            return [], True
        local = [a for a in cands if a.districts and district in a.districts] + citywide
        if local:
            return local[: directory.rules.max_per_kind], False
    return [], False


def _general(directory: Directory, district: str | None) -> tuple[Agency, bool]:
    windows = directory.general_agencies
    for a in windows:
        if a.districts and district in a.districts:
            return a, False
    citywide = next(a for a in windows if not a.districts)
    return citywide, district is None and any(a.districts for a in windows)


def _is_multi(categories: list[str], directory: Directory) -> bool:
    rules = directory.rules
    if any(c in rules.multi_always for c in categories):
        return True
    counted = set()
    for c in categories:
        rule = rules.categories[c]
        key = rule.counts_as or (rule.field if rule.field != "全" else c)
        if key != "none":
            counted.add(key)
    return len(counted) >= rules.multi_min_fields


def _availability(directory: Directory, agency: Agency, at: datetime
                  ) -> tuple[bool | None, datetime | None, str]:
    texts = directory.rules.texts
    if agency.hours is None:
        key = "hours_unknown" if agency.phone else "contact_unknown"
        return None, None, texts[key]
    if H.is_open(agency.hours, at):
        close = H.closes_at(agency.hours, at)
        return True, None, texts["open_now"].format(
            until=H.ja_time(close.hour * 60 + close.minute) if close else "")
    nxt = H.next_open(agency.hours, at)
    if nxt is None:
        return False, None, texts["closed_unknown_next"]
    return False, nxt, texts["closed_now"].format(next=H.describe_next(nxt, at))


def _referral(directory: Directory, agency: Agency, why: str, at: datetime,
              general: bool = False) -> Referral:
    open_now, nxt, when = _availability(directory, agency, at)
    return Referral(
        id=agency.id, name=agency.name, kind=agency.kind, phone=agency.phone,
        open_now=open_now, reason=why + agency.note, next_open=nxt,
        takes_handoff=agency.chat_handoff, takes_bookings=agency.bookings, why=why,
        next_step=when, address=agency.address, web=agency.web, general=general,
    )


def _contacts(directory: Directory, ids: list[str]) -> list[EmergencyContact]:
    found = (directory.contact(cid) for cid in dict.fromkeys(ids))
    return [c for c in found if c is not None]


def route(analysis: Analysis, directory: Directory, at: datetime) -> Routing:
    at = H.to_jst(at)
    rules = directory.rules
    texts = rules.texts
    categories = [c for c in analysis.categories if c in rules.categories]
    band = analysis.age_band if analysis.age_band in AGE_BANDS else None
    district = analysis.district
    known = directory.district(district)
    if district != UNKNOWN_DISTRICT and known is None:
        district = None
    speaker = analysis.speaker

    def referral(agency: Agency, template: str, general: bool = False) -> Referral:
        # {where} (「寺井地区の」) only when the district is known and the agency serves districts
        where = texts["where"].format(district=known.name) if known and agency.districts else ""
        why = template.format(name=agency.name, where=where, city=directory.name)
        return _referral(directory, agency, why, at, general=general)

    specialists: dict[str, tuple[Agency, str]] = {}    # by agency id, first reason wins
    needs_district = False
    uncovered = False      # some concern has no specialist here: the general window takes it
    for cat in categories:
        rule = rules.categories[cat]
        kinds = rule.by_age.get(band, rule.kinds) if band else rule.kinds
        picked, pending = _pick(directory, kinds, cat, rule.field,
                                None if rule.ignore_age else band, district)
        needs_district |= pending
        uncovered |= not picked
        template = rule.reason.get(speaker, rule.reason["default"])
        for agency in picked:
            specialists.setdefault(agency.id, (agency, template))

    general, general_pending = _general(directory, district)
    multi = _is_multi(categories, directory)
    crisis = analysis.crisis
    refs: list[Referral] = []
    if crisis or multi:
        refs.append(referral(general, texts["crisis" if crisis else "multi"], general=True))
        specialists.pop(general.id, None)   # it already leads: do not list it twice
    for agency, template in list(specialists.values())[: rules.max_specialists]:
        refs.append(referral(agency, template))
    if not refs or (uncovered and not any(r.id == general.id for r in refs)):
        if not categories:
            key = "no_category"
        elif needs_district and not specialists:
            key = "until_district"
        else:
            key = "general"
        refs.append(referral(general, texts[key], general=True))
    general_used = any(r.id == general.id for r in refs)
    # Ask only about a real concern: a greeting or a crisis never waits for a button.
    needs_district = (needs_district or (general_pending and general_used)) and not crisis \
        and bool(categories) and district is None and bool(directory.districts)

    contact_ids: list[str] = []
    if crisis:
        contact_ids += rules.crisis_contacts
        for cat in categories:
            contact_ids += rules.categories[cat].crisis_contacts
        contact_ids += rules.night_contacts
    else:
        for cat in categories:
            contact_ids += rules.categories[cat].contacts
        if categories and not any(r.open_now for r in refs):
            contact_ids += rules.night_contacts
    return Routing(
        categories=categories, crisis=crisis, district=district, agencies=refs,
        multi_agency=multi, emergency_contacts=_contacts(directory, contact_ids),
        needs_district=needs_district, urgent_handoff=crisis,
        district_question=texts["district_question"] if needs_district else "",
        district_choices=directory.district_choices() if needs_district else [],
    )


def handoff_window(directory: Directory, at: datetime) -> Availability:
    """Are consultants reachable in the chat now (agencies with chat_handoff: true and their
    hours), and if not, when next."""
    at = H.to_jst(at)
    timed = [a.hours for a in directory.agencies if a.chat_handoff and a.hours is not None]
    if not timed:
        return Availability(open_now=False, next_open=None, hours_known=False)
    if any(H.is_open(h, at) for h in timed):
        return Availability(open_now=True, next_open=None)
    nexts = [n for n in (H.next_open(h, at) for h in timed) if n is not None]
    return Availability(open_now=False, next_open=min(nexts) if nexts else None)
