"""The dataclasses of a municipality directory and of a routing answer.

These are the contract the conversation engine and the console rely on
(see routing/__init__.py); fields may be added, none removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

UNKNOWN_DISTRICT = "unknown"          # the resident answered 「その他・わからない」
UNKNOWN_DISTRICT_LABEL = "その他・わからない"

FIELDS = ("高齢・介護", "障害", "子ども", "生活困窮", "全")
AGE_BANDS = ("child", "youth", "adult", "senior")
# Inclusive age ranges of the classifier's bands (youth is 若者 15-39, overlapping).
BAND_RANGES: dict[str, tuple[int, int | None]] = {
    "child": (0, 17), "youth": (15, 39), "adult": (18, 64), "senior": (65, None),
}


class DirectoryError(ValueError):
    """A directory file is broken. str() reads like `nomi.yaml:42: agencies[3].hours.mon: ...`,
    one line per problem; `.errors` holds the lines."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


@dataclass(frozen=True)
class District:
    id: str
    name: str
    spellings: tuple[str, ...] = ()
    reading: str | None = None
    bare_name: bool = True         # False: the name alone is too common to spot (中央, 和田)


@dataclass(frozen=True)
class EmergencyContact:
    name: str
    phone: str
    hours: str
    id: str = ""
    always_open: bool = False         # 24 hours, every day
    source: str = ""                  # the official page/organisation the number was checked on
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "phone": self.phone, "hours": self.hours}


@dataclass(frozen=True)
class Hours:
    """Opening hours of one agency. Minutes from midnight, end exclusive (24:00 = 1440)."""

    week: tuple[tuple[tuple[int, int], ...], ...]      # index 0 = Monday
    holidays: tuple[tuple[int, int], ...] = ()          # on public holidays (default closed)
    year_end: tuple[tuple[int, int], ...] = ()          # 12/29-1/3 (default closed)
    closed: frozenset[date] = frozenset()
    note: str = ""


@dataclass(frozen=True)
class Agency:
    id: str
    name: str
    kind: str
    also_kinds: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()      # taxonomy keys it takes beyond its fields
    groups: tuple[str, ...] = ()          # target groups in the document's words
    ages: tuple[int, int | None] | None = None
    districts: tuple[str, ...] = ()       # empty: the whole city
    hours: Hours | None = None            # None: the document does not say
    phone: str | None = None
    phone_note: str = ""
    address: str | None = None
    place: str | None = None
    web: str | None = None
    email: str | None = None
    operator: str | None = None
    chat_handoff: bool = False
    bookings: bool = False
    referable: bool = True                # False: a professionals' resource, not for residents
    note: str = ""                        # resident-facing next step, e.g. how to reach it
    source: str = ""

    def has_kind(self, kind: str) -> bool:
        return kind == self.kind or kind in self.also_kinds


@dataclass(frozen=True)
class CategoryRule:
    field: str
    kinds: tuple[str, ...]
    by_age: dict[str, tuple[str, ...]]
    ignore_age: bool
    counts_as: str | None                 # what it counts as when judging "several fields"
    reason: dict[str, str]                # speaker (or "default") -> Japanese template
    contacts: tuple[str, ...]             # national lines worth offering for this concern
    crisis_contacts: tuple[str, ...]


@dataclass(frozen=True)
class Rules:
    categories: dict[str, CategoryRule]
    kinds: tuple[str, ...]
    max_per_kind: int
    max_specialists: int
    multi_always: tuple[str, ...]
    multi_min_fields: int
    crisis_contacts: tuple[str, ...]
    night_contacts: tuple[str, ...]
    texts: dict[str, str]


@dataclass(frozen=True)
class Slot:
    id: str
    starts_at: datetime
    ends_at: datetime
    capacity: int | None                  # None: the document does not say


@dataclass(frozen=True, kw_only=True)
class SessionDetails:
    """What a resident reads about a 相談会: the same for every date of a series."""

    place: str | None
    address: str | None
    access: str | None
    bring: str | None
    family_only_ok: bool
    booking_required: bool
    confidential: bool
    fee: str | None
    notes: str


@dataclass(frozen=True, kw_only=True)
class Session(SessionDetails):
    id: str
    series: str
    title: str
    agency: str
    date: date
    starts_at: datetime
    ends_at: datetime
    slots: list[Slot]


@dataclass(frozen=True, kw_only=True)
class SessionSeries(SessionDetails):
    """A `sessions:` entry as written: expanded by routing.sessions.upcoming()."""

    id: str
    agency: str
    title: str
    dates: tuple[date, ...]
    monthly: tuple[tuple[int, int], ...]    # (nth 1-5 or -1 for last, weekday 0-6)
    weekly: tuple[int, ...]
    valid_from: date | None
    valid_until: date | None
    start: int
    end: int
    slot_minutes: int | None
    capacity: int | None
    skip_holidays: bool
    cancelled: frozenset[date]
    extra_dates: tuple[date, ...]

    def details(self) -> dict[str, Any]:
        """The SessionDetails fields, to pass on to each dated Session."""
        return {f.name: getattr(self, f.name) for f in fields(SessionDetails)}


@dataclass
class Directory:
    id: str
    name: str
    districts: list[District] = field(default_factory=list)
    source: Path | None = None
    prefecture: str = ""
    agencies: list[Agency] = field(default_factory=list)
    general_windows: list[str] = field(default_factory=list)
    national: list[EmergencyContact] = field(default_factory=list)
    rules: Rules | None = None
    sessions: list[SessionSeries] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    web: str | None = None
    files: tuple[Path, ...] = ()  # every file it was read from (the cache watches them)

    def district_spellings(self) -> dict[str, list[str]]:
        return {d.id: [d.name, *d.spellings] if d.bare_name else list(d.spellings)
                for d in self.districts}

    def district_choices(self) -> list[tuple[str, str]]:
        """(id, label) quick replies for 「お住まいの地区は？」, ending with その他・わからない."""
        return [(d.id, d.name) for d in self.districts] + [
            (UNKNOWN_DISTRICT, UNKNOWN_DISTRICT_LABEL)]

    def district(self, district_id: str | None) -> District | None:
        return next((d for d in self.districts if d.id == district_id), None)

    def agency(self, agency_id: str) -> Agency | None:
        return next((a for a in self.agencies if a.id == agency_id), None)

    def contact(self, contact_id: str) -> EmergencyContact | None:
        return next((c for c in self.national if c.id == contact_id), None)

    # Worked out once per loaded directory, not per message (a Directory is not changed
    # after loading).
    @cached_property
    def general_agencies(self) -> list[Agency]:
        """The general windows, in order."""
        return [a for a in map(self.agency, self.general_windows) if a is not None]

    def referable_of_kind(self, kind: str) -> list[Agency]:
        """Agencies residents may be sent to with this kind (or also_kind), in file order."""
        return self._referable_by_kind.get(kind, [])

    @cached_property
    def _referable_by_kind(self) -> dict[str, list[Agency]]:
        out: dict[str, list[Agency]] = {}
        for a in self.agencies:
            if a.referable:
                for kind in dict.fromkeys((a.kind, *a.also_kinds)):
                    out.setdefault(kind, []).append(a)
        return out


@dataclass(frozen=True)
class Referral:
    id: str
    name: str
    kind: str
    phone: str | None
    open_now: bool | None          # None: the directory does not know the hours
    reason: str                    # short Japanese the bot can show: why this window (+ how
                                   # to reach it when the directory lacks a phone)
    next_open: datetime | None = None
    takes_handoff: bool = False
    takes_bookings: bool = False
    why: str = ""                  # `reason` without the agency's note
    next_step: str = ""            # when: 「いま受け付けています（17:00まで）。」, 「いまは受付時間外
                                   # です。明日…から」, 「受付時間は市のホームページか電話で…」
    address: str | None = None
    web: str | None = None
    general: bool = False          # the general window (the door to 多機関協働)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "kind": self.kind, "phone": self.phone,
            "open_now": self.open_now, "reason": self.reason,
            "next_open": self.next_open.isoformat() if self.next_open else None,
            "next_step": self.next_step,
        }


@dataclass(frozen=True)
class Routing:
    categories: list[str]
    crisis: bool
    district: str | None
    agencies: list[Referral]
    multi_agency: bool
    emergency_contacts: list[EmergencyContact]
    needs_district: bool = False   # the district matters here and is unknown: ask for it
    urgent_handoff: bool = False   # crisis: a human should take over at once
    district_question: str = ""    # what the bot asks when needs_district
    district_choices: list[tuple[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "categories": list(self.categories), "crisis": self.crisis,
            "district": self.district,
            "agencies": [a.to_json() for a in self.agencies],
            "multi_agency": self.multi_agency,
            "emergency_contacts": [c.to_json() for c in self.emergency_contacts],
            "needs_district": self.needs_district,
        }


@dataclass(frozen=True)
class Availability:
    open_now: bool
    next_open: datetime | None
    hours_known: bool = True       # False: no handoff hours in the directory
