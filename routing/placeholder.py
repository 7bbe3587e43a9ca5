"""PLACEHOLDER routing: one general window and the national lines, no real directory.

Stands behind the `routing` interface until the directory loader and rules land
(issue 4). The dataclasses here are the contract the engine and console rely on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from intents.result import Analysis


class DirectoryError(ValueError):
    """A directory file is broken. str() reads like `nomi.yaml:42: agencies[3].hours.mon: ...`."""


@dataclass(frozen=True)
class District:
    id: str
    name: str
    spellings: tuple[str, ...] = ()


@dataclass(frozen=True)
class EmergencyContact:
    name: str
    phone: str
    hours: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "phone": self.phone, "hours": self.hours}


@dataclass(frozen=True)
class Referral:
    id: str
    name: str
    kind: str
    phone: str | None
    open_now: bool | None          # None: the directory does not know the hours
    reason: str                    # short Japanese sentence the bot can show
    next_open: datetime | None = None
    takes_handoff: bool = False
    takes_bookings: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "kind": self.kind, "phone": self.phone,
            "open_now": self.open_now, "reason": self.reason,
            "next_open": self.next_open.isoformat() if self.next_open else None,
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

    def to_json(self) -> dict[str, Any]:
        return {
            "categories": list(self.categories), "crisis": self.crisis,
            "district": self.district,
            "agencies": [a.to_json() for a in self.agencies],
            "multi_agency": self.multi_agency,
            "emergency_contacts": [c.to_json() for c in self.emergency_contacts],
        }


@dataclass(frozen=True)
class Availability:
    open_now: bool
    next_open: datetime | None


@dataclass
class Directory:
    id: str
    name: str
    districts: list[District] = field(default_factory=list)
    source: Path | None = None

    def district_spellings(self) -> dict[str, list[str]]:
        return {d.id: [d.name, *d.spellings] for d in self.districts}


_NATIONAL = [
    EmergencyContact("警察", "110", "24時間"),
    EmergencyContact("救急・消防", "119", "24時間"),
    EmergencyContact("児童相談所虐待対応ダイヤル", "189", "24時間"),
]


def load_directory(id_or_path: str) -> Directory:
    return Directory(id=Path(id_or_path).stem, name="デモ市")


def route(analysis: Analysis, directory: Directory, at: datetime) -> Routing:
    general = Referral(
        id="general", name="福祉総合相談窓口", kind="福祉総合相談窓口/多機関協働",
        phone=None, open_now=None, reason="どんなご相談もまず受け止める窓口です。",
        takes_handoff=True,
    )
    return Routing(
        categories=list(analysis.categories), crisis=analysis.crisis,
        district=analysis.district, agencies=[general], multi_agency=False,
        emergency_contacts=list(_NATIONAL) if analysis.crisis else [],
        urgent_handoff=analysis.crisis,
    )


def handoff_window(directory: Directory, at: datetime) -> Availability:
    return Availability(open_now=True, next_open=None)
