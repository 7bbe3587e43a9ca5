"""Load and check municipality directories (dictionaries/municipalities/*.yaml).

A city file names its districts, agencies, general windows and consultation sessions; the
national lines live in `_national.yaml` and the routing defaults in `_rules.yaml`, which a
city may override under `rules:`. Every problem is reported with file, line and field, all
at once. The format is described in docs/directory-format.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from intents.result import CATEGORIES
from routing import hours as H
from routing.model import (
    AGE_BANDS,
    FIELDS,
    Agency,
    CategoryRule,
    Directory,
    DirectoryError,
    District,
    EmergencyContact,
    Rules,
)
from routing.sessions import parse_sessions
from routing.yamlsrc import Path_, Source

DATA_DIR = Path(__file__).resolve().parent.parent / "dictionaries" / "municipalities"
NATIONAL_FILE = "_national.yaml"
RULES_FILE = "_rules.yaml"

_PHONE = re.compile(r"^(#?\d[\d-]*\d|\d{3})$")
_AGES = re.compile(r"^(\d*)-(\d*)$")

_TOP_KEYS = {"id", "name", "prefecture", "documents", "web", "national", "rules", "districts",
             "agencies", "general_windows", "sessions", "notes"}
_AGENCY_KEYS = {"id", "name", "kind", "also_kinds", "fields", "categories", "groups", "ages",
                "districts", "hours", "phone", "phone_note", "address", "place", "web",
                "email", "operator", "chat_handoff", "bookings", "referable", "note", "source",
                "notes", "fax"}
_DISTRICT_KEYS = {"id", "name", "reading", "spellings", "bare_name", "notes"}
_TEXT_KEYS = ("where", "crisis", "multi", "general", "no_category", "until_district",
              "open_now", "closed_now", "closed_unknown_next", "hours_unknown",
              "contact_unknown", "district_question")
# What is loaded, by file (and what it was checked against), with the modification times it
# was built from: a changed file is loaded again and replaces its entry.
_cache: dict[tuple, tuple[tuple, Any]] = {}


def resolve(id_or_path: str | Path) -> Path:
    text = str(id_or_path)
    if "/" in text or text.endswith((".yaml", ".yml")):
        return Path(text).resolve()
    return DATA_DIR / f"{text}.yaml"


def load_directory(id_or_path: str) -> Directory:
    """An id like "nomi" (→ dictionaries/municipalities/nomi.yaml) or a path. Cached per
    file and modification time; raises DirectoryError listing every problem."""
    path = resolve(id_or_path)
    if _mtime(path) is None:
        raise DirectoryError([f"{path.name}: no such directory file ({path})"])
    hit = _cache.get(("city", path))
    if hit is not None and hit[0] == tuple(map(_mtime, hit[1].files)):
        return hit[1]
    directory = _load_city(path)
    _cache[("city", path)] = (tuple(map(_mtime, directory.files)), directory)
    return directory


def check_file(path: str | Path) -> tuple[list[str], str]:
    """(errors, summary) for any directory file: a city, _national.yaml or _rules.yaml."""
    path = Path(path)
    try:
        if path.name == NATIONAL_FILE:
            contacts = load_national(path)
            return [], f"OK {path.name}: {len(contacts)} national lines"
        if path.name == RULES_FILE:
            rules = load_rules(path)
            return [], f"OK {path.name}: {len(rules.categories)} category rules"
        d = _load_city(path.resolve())
    except DirectoryError as exc:
        return exc.errors, ""
    return [], (f"OK {path.name}: {d.name} ({d.id}): {len(d.districts)} districts, "
                f"{len(d.agencies)} agencies, {len(d.sessions)} session series, "
                f"{len(d.national)} national lines")


# -- shared helpers -------------------------------------------------------------------------

def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def _cached(key: tuple, stamps: tuple, build: Callable[[], Any]) -> Any:
    hit = _cache.get(key)
    if hit is None or hit[0] != stamps:
        hit = _cache[key] = (stamps, build())
    return hit[1]


def _phone(src: Source, m: dict, path: Path_, required: bool = False) -> str | None:
    phone = src.get_str(m, "phone", path, required)
    if phone is not None and not _PHONE.match(phone):
        src.error((*path, "phone"), f"{phone!r} is not a phone number (digits and hyphens)")
        return None
    return phone


def _line_of(message: str) -> int:
    parts = message.split(":", 2)
    return int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else 0


def _raise(src: Source) -> None:
    if src.errors:
        raise DirectoryError(sorted(src.errors, key=_line_of))   # stable: same line keeps order


# -- national lines -------------------------------------------------------------------------

def load_national(path: Path) -> list[EmergencyContact]:
    return _cached(("national", path.resolve()), (_mtime(path),), lambda: _parse_national(path))


def _parse_national(path: Path) -> list[EmergencyContact]:
    src = Source(path)
    _raise(src)
    top = src.mapping(src.data, ()) or {}
    src.only_keys(top, {"contacts", "notes"}, ())
    out: list[EmergencyContact] = []
    seen: set[str] = set()
    for i, c in enumerate(src.get_list(top, "contacts", ())):
        p: Path_ = ("contacts", i)
        if src.mapping(c, p) is None:
            continue
        src.only_keys(c, {"id", "name", "phone", "hours", "always_open", "source",
                          "note", "recheck"}, p)
        cid = src.get_str(c, "id", p, True)
        if cid and cid in seen:
            src.error((*p, "id"), f"contact id {cid!r} is used twice")
        seen.add(cid or "")
        name = src.get_str(c, "name", p, True)
        phone = _phone(src, c, p, True)
        hours = src.get_str(c, "hours", p, True)
        source = c.get("source")
        if not isinstance(source, dict) or not source.get("organisation") or not source.get(
                "url"):
            src.error((*p, "source"), "must name the official source: organisation and url")
            source_text = ""
        else:
            source_text = f"{source['organisation']} {source['url']}"
        out.append(EmergencyContact(
            name=name or "", phone=phone or "", hours=hours or "", id=cid or "",
            always_open=src.get_bool(c, "always_open", p, False), source=source_text,
            note=src.get_str(c, "note", p) or ""))
    _raise(src)
    return out


# -- rules ----------------------------------------------------------------------------------

def _rule_kinds(src: Source, value: Any, path: Path_, kinds: set[str]) -> tuple[str, ...]:
    if not isinstance(value, list):
        src.error(path, "must be a list of agency kinds")
        return ()
    for i, k in enumerate(value):
        if not isinstance(k, str) or k not in kinds:
            src.error((*path, i), f"unknown agency kind {k!r}")
    return tuple(k for k in value if isinstance(k, str))


def _parse_rules(src: Source, m: dict, base: Rules | None, path: Path_,
                 contact_ids: set[str] | None) -> Rules:
    """`m` is _rules.yaml's top level, or a city's `rules:` override over `base`."""
    src.only_keys(m, {"kinds", "categories", "max_per_kind", "max_specialists",
                      "multi_agency", "crisis_contacts", "night_contacts", "texts",
                      "notes"}, path)
    kinds = tuple(src.get_texts(m, "kinds", path)) if "kinds" in m else (
        base.kinds if base else ())
    if base is None and not kinds:
        src.error((*path, "kinds"), "the list of agency kinds is required")
    kind_set = set(kinds)

    def contacts(value: Any, p: Path_) -> tuple[str, ...]:
        if not isinstance(value, list):
            src.error(p, "must be a list of national line ids")
            return ()
        for i, cid in enumerate(value):
            if not isinstance(cid, str) or contact_ids is not None and cid not in contact_ids:
                src.error((*p, i), f"unknown national line {cid!r} (see {NATIONAL_FILE})")
        return tuple(cid for cid in value if isinstance(cid, str))

    categories = dict(base.categories) if base else {}
    cats = m.get("categories", {})
    if src.mapping(cats, (*path, "categories")) is not None:
        for cat, r in cats.items():
            p = (*path, "categories", cat)
            if cat not in CATEGORIES:
                src.error(p, f"unknown category key {cat!r} (see taxonomy.md)")
                continue
            if src.mapping(r, p) is None:
                continue
            src.only_keys(r, {"field", "kinds", "by_age", "ignore_age", "counts_as",
                              "reason", "contacts", "crisis_contacts"}, p)
            old = categories.get(cat)
            field_ = r.get("field", old.field if old else None)
            if field_ not in FIELDS:
                src.error((*p, "field"), f"{field_!r} is not one of {', '.join(FIELDS)}")
            by_age = dict(old.by_age) if old else {}
            for band, ks in src.get_mapping(r, "by_age", p).items():
                if band not in AGE_BANDS:
                    src.error((*p, "by_age", band), f"unknown age band; use {AGE_BANDS}")
                    continue
                by_age[band] = _rule_kinds(src, ks, (*p, "by_age", band), kind_set)
            reason = r.get("reason", old.reason if old else {})
            if isinstance(reason, str):
                reason = {"default": reason}
            if not isinstance(reason, dict) or "default" not in reason:
                src.error((*p, "reason"), "needs a default Japanese reason")
                reason = {"default": ""}
            categories[cat] = CategoryRule(
                field=field_ or "全",
                kinds=_rule_kinds(src, r["kinds"], (*p, "kinds"), kind_set) if "kinds" in r
                else (old.kinds if old else ()),
                by_age=by_age,
                ignore_age=bool(r.get("ignore_age", old.ignore_age if old else False)),
                counts_as=r.get("counts_as", old.counts_as if old else None),
                reason={str(k): str(v) for k, v in reason.items()},
                contacts=contacts(r["contacts"], (*p, "contacts")) if "contacts" in r
                else (old.contacts if old else ()),
                crisis_contacts=contacts(r["crisis_contacts"], (*p, "crisis_contacts"))
                if "crisis_contacts" in r else (old.crisis_contacts if old else ()),
            )
    if base is None:
        for cat in CATEGORIES:
            if cat not in categories:
                src.error((*path, "categories"), f"no rule for category {cat!r}")
    multi = src.get_mapping(m, "multi_agency", path)
    always = src.get_texts(multi, "always", (*path, "multi_agency"))
    for cat in always:
        if cat not in CATEGORIES:
            src.error((*path, "multi_agency", "always"), f"unknown category key {cat!r}")
    min_fields = multi.get("min_fields", base.multi_min_fields if base else 2)
    if not isinstance(min_fields, int) or isinstance(min_fields, bool) or min_fields < 1:
        src.error((*path, "multi_agency", "min_fields"),
                  f"{min_fields!r} must be a positive whole number")
        min_fields = 2
    texts = dict(base.texts) if base else {}
    texts.update({str(k): str(v) for k, v in src.get_mapping(m, "texts", path).items()})
    for key in _TEXT_KEYS:
        if key not in texts:
            src.error((*path, "texts"), f"text {key!r} is required")

    def number(key: str, default: int) -> int:
        value = m.get(key, getattr(base, key) if base else default)
        if not isinstance(value, int) or value < 1:
            src.error((*path, key), f"{value!r} must be a positive whole number")
            return default
        return value

    return Rules(
        categories=categories, kinds=kinds,
        max_per_kind=number("max_per_kind", 2),
        max_specialists=number("max_specialists", 4),
        multi_always=tuple(always) if "always" in multi else (base.multi_always if base else ()),
        multi_min_fields=min_fields,
        crisis_contacts=contacts(m["crisis_contacts"], (*path, "crisis_contacts"))
        if "crisis_contacts" in m else (base.crisis_contacts if base else ()),
        night_contacts=contacts(m["night_contacts"], (*path, "night_contacts"))
        if "night_contacts" in m else (base.night_contacts if base else ()),
        texts=texts,
    )


def load_rules(path: Path, contact_ids: set[str] | None = None) -> Rules:
    """The rules, checked against `contact_ids` (default: the national lines beside them)."""
    if contact_ids is None:
        contact_ids = {c.id for c in load_national(path.parent / NATIONAL_FILE)}
    ids = frozenset(contact_ids)
    return _cached(("rules", path.resolve(), ids), (_mtime(path),),
                   lambda: _parse_rules_file(path, ids))


def _parse_rules_file(path: Path, contact_ids: frozenset[str]) -> Rules:
    src = Source(path)
    _raise(src)
    top = src.mapping(src.data, ()) or {}
    rules = _parse_rules(src, top, None, (), set(contact_ids))
    _raise(src)
    return rules


# -- a city ---------------------------------------------------------------------------------

def _load_city(path: Path) -> Directory:
    src = Source(path)
    _raise(src)
    top = src.mapping(src.data, ()) or {}
    src.only_keys(top, _TOP_KEYS, ())
    city_id = src.get_str(top, "id", (), True) or path.stem
    src.expect_id(city_id, ("id",))
    name = src.get_str(top, "name", (), True) or city_id

    national_name = top.get("national", NATIONAL_FILE)
    national: list[EmergencyContact] = []
    try:
        national = load_national(path.parent / str(national_name))
    except (DirectoryError, OSError) as exc:
        src.error(("national",), f"cannot load {national_name}: {exc}")
    contact_ids = {c.id for c in national}
    rules = None
    try:
        rules = load_rules(path.parent / RULES_FILE, contact_ids)
    except (DirectoryError, OSError) as exc:
        src.error(("rules",), f"cannot load {RULES_FILE}: {exc}")
    if rules is not None and "rules" in top and src.mapping(top["rules"], ("rules",)):
        rules = _parse_rules(src, top["rules"], rules, ("rules",), contact_ids)
    kinds = set(rules.kinds) if rules else set()

    districts = _parse_districts(src, top)
    district_ids = {d.id for d in districts}
    agencies = _parse_agencies(src, top, kinds, district_ids)
    agency_ids = {a.id for a in agencies}

    general = []
    for i, gid in enumerate(src.get_texts(top, "general_windows", ())):
        if gid not in agency_ids:
            src.error(("general_windows", i), f"unknown agency id {gid!r}")
        general.append(gid)
    if not general:
        src.error(("general_windows",), "at least one general window is required "
                                        "(no concern is turned away)")
    elif all(a.districts for a in agencies if a.id in general):
        src.error(("general_windows",), "one general window must cover the whole city "
                                        "(no districts), for residents whose district is unknown")

    sessions = parse_sessions(src, src.get_list(top, "sessions", ()), agency_ids)
    documents = [str(d) for d in src.get_list(top, "documents", ())]
    _raise(src)
    return Directory(
        id=city_id, name=name, districts=districts, source=path,
        prefecture=src.get_str(top, "prefecture", ()) or "", agencies=agencies,
        general_windows=general, national=national, rules=rules, sessions=sessions,
        documents=documents, web=src.get_str(top, "web", ()),
        files=(path, path.parent / RULES_FILE, path.parent / str(national_name)),
    )


def _parse_districts(src: Source, top: dict) -> list[District]:
    out: list[District] = []
    seen: set[str] = set()
    for i, d in enumerate(src.get_list(top, "districts", ())):
        p: Path_ = ("districts", i)
        if src.mapping(d, p) is None:
            continue
        src.only_keys(d, _DISTRICT_KEYS, p)
        did = src.get_str(d, "id", p, True)
        if did:
            src.expect_id(did, (*p, "id"))
        if did in seen:
            src.error((*p, "id"), f"district id {did!r} is used twice")
        seen.add(did or "")
        name = src.get_str(d, "name", p, True) or ""
        spellings = [str(s) for s in src.get_list(d, "spellings", p)]
        out.append(District(
            id=did or "", name=name, reading=src.get_str(d, "reading", p),
            spellings=tuple(dict.fromkeys(s for s in spellings if s and s != name)),
            bare_name=src.get_bool(d, "bare_name", p, True)))
    return out


def _parse_agencies(src: Source, top: dict, kinds: set[str],
                    district_ids: set[str]) -> list[Agency]:
    out: list[Agency] = []
    seen: dict[str, int] = {}
    for i, a in enumerate(src.get_list(top, "agencies", ())):
        p: Path_ = ("agencies", i)
        if src.mapping(a, p) is None:
            continue
        src.only_keys(a, _AGENCY_KEYS, p)
        aid = src.get_str(a, "id", p, True) or f"#{i}"
        src.expect_id(aid, (*p, "id"))
        if aid in seen:
            src.error((*p, "id"), f"agency id {aid!r} is used twice "
                                  f"(first at agencies[{seen[aid]}])")
        seen.setdefault(aid, i)
        kind = src.get_str(a, "kind", p, True) or ""
        if kind and kinds and kind not in kinds:
            src.error((*p, "kind"), f"unknown agency kind {kind!r} (see {RULES_FILE} kinds)")
        also = [str(k) for k in src.get_list(a, "also_kinds", p)]
        for j, k in enumerate(also):
            if kinds and k not in kinds:
                src.error((*p, "also_kinds", j), f"unknown agency kind {k!r}")
        fields = [str(f) for f in src.get_list(a, "fields", p)]
        for j, f in enumerate(fields):
            if f not in FIELDS:
                src.error((*p, "fields", j), f"unknown field {f!r}; use {', '.join(FIELDS)}")
        cats = a.get("categories") or []
        if cats == "all":
            cats = list(CATEGORIES)
        if not isinstance(cats, list):
            src.error((*p, "categories"), "must be a list of category keys or 'all'")
            cats = []
        for j, c in enumerate(cats):
            if c not in CATEGORIES:
                src.error((*p, "categories", j), f"unknown category key {c!r}")
        dists = [str(d) for d in src.get_list(a, "districts", p)]
        for j, d in enumerate(dists):
            if d not in district_ids:
                src.error((*p, "districts", j), f"unknown district {d!r}")
        ages = None
        if a.get("ages") is not None:
            m = _AGES.match(str(a["ages"]))
            if not m or not any(m.groups()):
                src.error((*p, "ages"), f"{a['ages']!r} is not an age range like '65-' or '0-17'")
            else:
                ages = (int(m.group(1) or 0), int(m.group(2)) if m.group(2) else None)
        hours = H.parse_hours(a["hours"], src, (*p, "hours")) if a.get("hours") else None
        out.append(Agency(
            id=aid, name=src.get_str(a, "name", p, True) or aid, kind=kind,
            also_kinds=tuple(also), fields=tuple(fields), categories=tuple(cats),
            groups=tuple(str(g) for g in src.get_list(a, "groups", p)), ages=ages,
            districts=tuple(dists), hours=hours, phone=_phone(src, a, p),
            phone_note=src.get_str(a, "phone_note", p) or "",
            address=src.get_str(a, "address", p), place=src.get_str(a, "place", p),
            web=src.get_str(a, "web", p), email=src.get_str(a, "email", p),
            operator=src.get_str(a, "operator", p),
            chat_handoff=src.get_bool(a, "chat_handoff", p, False),
            bookings=src.get_bool(a, "bookings", p, False),
            referable=src.get_bool(a, "referable", p, True),
            note=src.get_str(a, "note", p) or "", source=src.get_str(a, "source", p) or "",
        ))
    return out
