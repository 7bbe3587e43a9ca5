"""The municipality directory as the console needs it: agencies to assign and refer to,
district names. Degrades to ids when the directory has no agencies or fails to load."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app, g

import routing
from routing.model import Directory

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


_failed: set[str] = set()   # municipalities whose load error was already logged
_choices: tuple[Directory | None, dict[str, AgencyChoice]] = (None, {})  # for the last directory


def _load(municipality: str) -> Directory | None:
    try:
        found = routing.load_directory(municipality)
    except Exception:  # the console still works, showing ids
        if municipality not in _failed:
            _failed.add(municipality)
            log.exception("directory %s could not be loaded", municipality)
        return None
    _failed.discard(municipality)
    return found


def directory() -> Directory | None:
    """Looked up once per request; routing.load_directory caches per file version, so an
    edited directory is picked up without a restart."""
    if "console_directory" not in g:
        g.console_directory = _load(current_app.config["TSUNAGU"].municipality)
    return g.console_directory  # type: ignore[no-any-return]


def _agency_choices() -> dict[str, AgencyChoice]:
    """Agencies a case can go to (referable, or taking chat handoffs), by id; built once per
    loaded directory, since the inbox asks for a name on every row."""
    global _choices
    d = directory()
    if d is None:
        return {}
    if _choices[0] is not d:
        _choices = (d, {a.id: AgencyChoice(id=a.id, name=a.name, kind=a.kind or "",
                                           phone=a.phone or "", address=a.address or "")
                        for a in d.agencies if a.referable or a.chat_handoff})
    return _choices[1]


def agencies() -> list[AgencyChoice]:
    return list(_agency_choices().values())


def agency(agency_id: str | None) -> AgencyChoice | None:
    return _agency_choices().get(agency_id) if agency_id else None


def agency_name(agency_id: str | None) -> str:
    if not agency_id:
        return ""
    found = agency(agency_id)
    return found.name if found else agency_id


def district_name(district_id: str | None) -> str:
    if not district_id:
        return ""
    if district_id == routing.UNKNOWN_DISTRICT:
        return "地区不明"
    d = directory()
    district = d.district(district_id) if d is not None else None
    return district.name if district else district_id
