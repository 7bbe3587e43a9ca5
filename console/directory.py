"""The municipality directory as the console needs it: agencies to assign and refer to,
district names. Degrades to ids when the directory has no agencies or fails to load."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

from flask import current_app

import routing

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AgencyChoice:
    id: str
    name: str
    kind: str = ""
    phone: str = ""
    address: str = ""

    @property
    def contact(self) -> str:
        parts = [f"電話 {self.phone}" if self.phone else "", self.address]
        return "　".join(p for p in parts if p)


@functools.cache
def _load(municipality: str):  # type: ignore[no-untyped-def]
    try:
        return routing.load_directory(municipality)
    except Exception:  # the console still works, showing ids
        log.exception("directory %s could not be loaded", municipality)
        return None


def directory():  # type: ignore[no-untyped-def]
    return _load(current_app.config["TSUNAGU"].municipality)


def agencies() -> list[AgencyChoice]:
    found = []
    for a in getattr(directory(), "agencies", None) or []:
        if getattr(a, "referable", True) is False and not getattr(a, "chat_handoff", False):
            continue
        found.append(AgencyChoice(id=a.id, name=a.name, kind=getattr(a, "kind", "") or "",
                                  phone=getattr(a, "phone", "") or "",
                                  address=getattr(a, "address", "") or ""))
    return found


def agency(agency_id: str | None) -> AgencyChoice | None:
    if not agency_id:
        return None
    return next((a for a in agencies() if a.id == agency_id), None)


def agency_name(agency_id: str | None) -> str:
    if not agency_id:
        return ""
    found = agency(agency_id)
    return found.name if found else agency_id


def district_name(district_id: str | None) -> str:
    if not district_id:
        return ""
    if district_id == "unknown":
        return "地区不明"
    d = directory()
    district = d.district(district_id) if d is not None and hasattr(d, "district") else None
    if district is None and d is not None:
        district = next((x for x in getattr(d, "districts", []) if x.id == district_id), None)
    return district.name if district else district_id
