"""The actor knowledge base: loading, merging, deriving, indexing and validating `actors/*.yaml`.

The format is described in `sitroom/knowledge/README.md`. Files load in name order, then the user's
files (`SITROOM_KB`, then `extra`); a later entry with an existing id replaces the fields it names.
For every state, `<iso3>_government`, `_military`, `_police` and `_civilians` are derived before the
file entries, so files can extend them. `load_kb` raises `KnowledgeBaseError` on files it cannot read
as the format; `validate` reports the problems of a well-formed but inconsistent knowledge base.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = [
    "ACTOR_KINDS",
    "DERIVED_KINDS",
    "RELATION_TYPES",
    "ActorEntry",
    "KBRelation",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "Role",
    "SourceFile",
    "clear_cache",
    "load_kb",
    "surface_key",
    "title_key",
    "validate",
]

ACTORS_DIR = Path(__file__).resolve().parent / "actors"
ENV_VAR = "SITROOM_KB"
DERIVED_SOURCE = "<derived>"

ACTOR_KINDS = frozenset(
    "state government military police armed_group party igo ngo media person civilians unknown".split()
)
RELATION_TYPES = frozenset("part_of backed_by leader_of ally_of member_of".split())
DERIVED_KINDS = ("government", "military", "police", "civilians")
_ID_RE = re.compile(r"[a-z0-9_]+")
_ISO3_RE = re.compile(r"[A-Z]{3}")

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class KnowledgeBaseError(ValueError):
    """A knowledge-base file that cannot be read as the format; the message names file and entry."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class _Dated(_Model):
    from_: dt.date | None = Field(None, alias="from")
    to: dt.date | None = None

    def holds_on(self, day: dt.date | None) -> bool:
        """True when `day` lies in [from, to]; with no day, true when the span is still open."""
        if day is None:
            return self.to is None
        return (self.from_ is None or self.from_ <= day) and (self.to is None or day <= self.to)


class KBRelation(_Dated):
    type: str
    actor: str


class Role(_Dated):
    title: str
    actor: str


class ActorEntry(_Dated):
    id: str
    name: str = ""
    kind: str = ""
    country: str | None = None
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    descriptors: tuple[str, ...] = ()
    capital: str | None = None
    relations: tuple[KBRelation, ...] = ()
    roles: tuple[Role, ...] = ()

    def names(self) -> Iterator[str]:
        """The canonical name, then the aliases."""
        yield self.name
        yield from self.aliases


@dataclass(frozen=True)
class SourceFile:
    """One loaded file: its path, and the ids and stated kinds of its entries in order (for validation)."""

    path: str
    ids: tuple[str, ...]
    kinds: tuple[str | None, ...] = ()


# --- surface forms -------------------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u02be": "'", "\u02bf": "'", "`": "'"})
_ACRONYM_RE = re.compile(r"(?<![A-Za-z])((?:[A-Z]\.){2,})")
_AL_RE = re.compile(r"\b[Aa][Ll][- ](?=[A-Za-z])")
_SPACE_RE = re.compile(r"\s+")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def surface_key(text: str) -> str:
    """Normalise a surface form for lookup: quotes, accents, spaces, "U.S."→"US", "Al "/"al "→"al-"."""
    text = _strip_accents(text.translate(_APOSTROPHES))
    text = _SPACE_RE.sub(" ", text).strip()
    text = _ACRONYM_RE.sub(lambda m: m.group(1).replace(".", ""), text)
    return _AL_RE.sub("al-", text)


def _has_capital(text: str) -> bool:
    return any(ch.isupper() for ch in text)


_ARTICLE_RE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


def _descriptor_key(text: str) -> str:
    return _ARTICLE_RE.sub("", surface_key(text)).lower()


# --- titles --------------------------------------------------------------------------------------

# Different names of one office, after lower-casing, "-"→" " and "defence"→"defense". Titles of
# different offices stay apart on purpose: a Foreign Secretary is not a Secretary of State.
_TITLE_SYNONYMS = {
    "pm": "prime minister",
    "premier": "premier",
    "minister of defense": "defense minister",
    "armed forces minister": "defense minister",
    "minister of the armed forces": "defense minister",
    "minister of armed forces": "defense minister",
    "defense secretary": "secretary of defense",
    "minister of foreign affairs": "foreign minister",
    "foreign affairs minister": "foreign minister",
    "external affairs minister": "foreign minister",
    "minister of external affairs": "foreign minister",
    "foreign policy chief": "high representative",
    "sg": "secretary general",
    "un secretary general": "secretary general",
    "nsa": "national security adviser",
    "national security advisor": "national security adviser",
    "army chief": "commander in chief",
}


def title_key(title: str) -> str:
    """Normalise an office title so that spelling variants and abbreviations compare equal."""
    key = _SPACE_RE.sub(" ", title.lower().replace("-", " ").replace(".", "")).strip()
    key = key.replace("defence", "defense")
    return _TITLE_SYNONYMS.get(key, key)


# --- derived state actors ------------------------------------------------------------------------

# States whose name takes "the" after "Government of".
_THE_STATES = frozenset("USA GBR ARE NLD PHL BHS GMB MDV COM SYC MHL SLB CAF CZE DOM COD COG VAT".split())
_ACRONYM_ALIAS_RE = re.compile(r"(?:[A-Z]\.?){2,4}")

_DERIVED_PATTERNS: dict[str, dict[str, tuple[str, ...]]] = {
    # "adj" forms use each attributive ("Israeli", "U.S."); "name" forms use the state's name.
    "government": {
        "adj": ("{a} government", "{a} Government", "{a} authorities"),
        "name": ("Government of {the}{n}", "government of {the}{n}", "{p} government"),
    },
    "military": {
        "adj": ("{a} military", "{a} army", "{a} Army", "{a} armed forces", "{a} Armed Forces", "{a} forces",
                "{a} troops"),
        "name": ("Armed Forces of {the}{n}", "{p} military", "{p} army", "{p} armed forces"),
    },
    "police": {
        "adj": ("{a} police", "{a} Police", "{a} police force"),
        "name": ("{n} Police", "{p} police"),
    },
    "civilians": {
        "adj": ("{a} civilians",),
        "name": ("civilians in {the}{n}",),
    },
}


def _attributives(state: dict[str, Any]) -> list[str]:
    """Words that name the state before a noun: its adjective, then acronym aliases ("U.S.", "UAE").

    The ISO3 code itself ("USA") is left out: news writes "U.S. military", not "USA military".
    """
    demonyms = state.get("demonyms") or []
    iso3 = state["country"]
    acronyms = [a for a in state.get("aliases") or []
                if _ACRONYM_ALIAS_RE.fullmatch(a) and a.replace(".", "") != iso3]
    return demonyms[:1] + acronyms


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _derived_entry(state: dict[str, Any], kind: str) -> dict[str, Any]:
    iso3 = state["country"]
    name = state["name"]
    the = "the " if iso3 in _THE_STATES else ""
    patterns = _DERIVED_PATTERNS[kind]
    forms = [p.format(a=a) for a in _attributives(state) for p in patterns["adj"]]
    forms += [p.format(n=name, the=the, p=_possessive(name)) for p in patterns["name"]]
    forms = list(dict.fromkeys(forms))
    return {
        "id": f"{state['id']}_{kind}",
        "name": forms[0],
        "kind": kind,
        "country": iso3,
        "aliases": forms[1:],
        "relations": [{"type": "part_of", "actor": state["id"]}],
    }


def _derive(raw: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    states = [e for e in raw.values() if e.get("kind") == "state" and isinstance(e.get("country"), str)]
    return {d["id"]: d for s in states for d in (_derived_entry(s, k) for k in DERIVED_KINDS)}


# --- reading files -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def _read_file(path: str, mtime_ns: int) -> tuple[dict[str, Any], ...]:
    """Parse one YAML file into entry mappings (cached by path and modification time)."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=_Loader)  # noqa: S506 - a safe loader
    except OSError as exc:
        raise KnowledgeBaseError(f"{path}: cannot read the file ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"{path}: not valid YAML: {exc}") from exc
    if data is None:
        return ()
    if not isinstance(data, list):
        raise KnowledgeBaseError(f"{path}: expected a YAML list of entries, got {type(data).__name__}")
    return tuple(_check_entry(path, i, item) for i, item in enumerate(data))


def _check_entry(path: str, index: int, item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise KnowledgeBaseError(f"{path}: entry #{index + 1} is not a mapping")
    entry_id = item.get("id")
    if not isinstance(entry_id, str) or not _ID_RE.fullmatch(entry_id):
        raise KnowledgeBaseError(f"{path}: entry #{index + 1} has no valid id ([a-z0-9_]+): {entry_id!r}")
    unknown = set(item) - _FIELD_NAMES
    if unknown:
        raise KnowledgeBaseError(f"{path}: entry {entry_id!r} has unknown fields: {', '.join(sorted(unknown))}")
    return item


_FIELD_NAMES = frozenset(
    (f.alias or name) for name, f in ActorEntry.model_fields.items()
)


def _source_paths(extra: Iterable[str]) -> list[str]:
    package = sorted(str(p) for p in ACTORS_DIR.glob("*.yaml"))
    from_env = [p for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p]
    return package + from_env + [str(p) for p in extra]


def _stamp(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError as exc:
        raise KnowledgeBaseError(f"{path}: cannot read the file ({exc.strerror})") from exc


def load_kb(extra: tuple[str, ...] = ()) -> KnowledgeBase:
    """Load the package's actor files, then those in $SITROOM_KB, then `extra` (later ones win).

    The result is cached for as long as none of the files changes; treat it as read-only.
    """
    paths = _source_paths(extra)
    return _build(tuple((p, _stamp(p)) for p in paths))


def clear_cache() -> None:
    """Forget parsed files and built knowledge bases (for tests and long-running processes)."""
    _read_file.cache_clear()
    _build.cache_clear()


@functools.lru_cache(maxsize=16)
def _build(stamped: tuple[tuple[str, int], ...]) -> KnowledgeBase:
    files = [(path, _read_file(path, mtime)) for path, mtime in stamped]
    raw: dict[str, dict[str, Any]] = {}
    origins: dict[str, list[str]] = {}
    # Every entry with a state's id merges first, in file order: the derived actors are made from
    # the states before any file entry extends them.
    state_ids = {item["id"] for _, items in files for item in items if item.get("kind") == "state"}
    ordered = [(path, item) for path, items in files for item in items]
    for path, item in ordered:
        if item["id"] in state_ids:
            _merge(raw, origins, path, item)
    derived = _derive(raw)
    for path, item in ordered:
        if item["id"] not in state_ids:
            _merge(raw, origins, path, item)
    for entry_id, base in derived.items():
        raw[entry_id] = _extend_derived(base, raw.get(entry_id, {}))
        origins[entry_id] = [DERIVED_SOURCE, *origins.get(entry_id, [])]
    actors = {entry_id: _to_model(origins[entry_id][-1], data) for entry_id, data in raw.items()}
    sources = tuple(SourceFile(path, tuple(item["id"] for item in items), tuple(item.get("kind") for item in items))
                    for path, items in files)
    return KnowledgeBase(actors, sources, {k: tuple(v) for k, v in origins.items()})


def _merge(raw: dict[str, dict[str, Any]], origins: dict[str, list[str]], path: str, item: dict[str, Any]) -> None:
    entry_id = item["id"]
    raw[entry_id] = {**raw.get(entry_id, {}), **item}
    origins.setdefault(entry_id, []).append(path)


def _extend_derived(base: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """File fields override a derived actor's, except that its generated aliases and part_of stay."""
    merged = {**base, **given}
    for field in ("aliases", "relations"):
        extra = given.get(field)
        if isinstance(extra, list):
            merged[field] = base[field] + [x for x in extra if x not in base[field]]
    return merged


def _to_model(path: str, data: dict[str, Any]) -> ActorEntry:
    try:
        return ActorEntry.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise KnowledgeBaseError(f"{path}: entry {data['id']!r}: {problems}") from exc


# --- the knowledge base --------------------------------------------------------------------------


class KnowledgeBase:
    """Actor entries by id, with indexes for surface forms, demonyms, descriptors and offices."""

    def __init__(
        self,
        actors: dict[str, ActorEntry],
        sources: tuple[SourceFile, ...] = (),
        origins: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.actors = actors
        self.sources = sources
        self.origins = origins or {}
        self._exact: dict[str, list[str]] = {}
        self._folded: dict[str, list[str]] = {}
        self._demonyms: dict[str, list[str]] = {}
        self._surnames: dict[str, list[str]] = {}
        self._descriptors: dict[str, list[str]] = {}
        self._holders: dict[tuple[str, str], list[tuple[Role, str]]] = {}
        for entry in actors.values():
            self._index(entry)

    def _index(self, entry: ActorEntry) -> None:
        for form in entry.names():
            if form:
                index, key = (self._exact, surface_key(form)) if _has_capital(form) else (
                    self._folded, surface_key(form).lower())
                _add(index, key, entry.id)
        for word in entry.demonyms:
            _add(self._demonyms, surface_key(word), entry.id)
        if entry.kind == "person" and " " in entry.name:
            _add(self._surnames, surface_key(entry.name.split()[-1]), entry.id)
        for text in entry.descriptors:
            _add(self._descriptors, _descriptor_key(text), entry.id)
        for role in entry.roles:
            self._holders.setdefault((title_key(role.title), role.actor), []).append((role, entry.id))

    def __len__(self) -> int:
        return len(self.actors)

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self.actors

    def get(self, actor_id: str) -> ActorEntry | None:
        """The entry with this id, or None."""
        return self.actors.get(actor_id)

    def lookup(self, surface: str) -> list[ActorEntry]:
        """Entries whose name or alias is `surface` (capitalised forms match case-sensitively)."""
        key = surface_key(surface)
        ids = self._exact.get(key, []) + self._folded.get(key.lower(), [])
        return [self.actors[i] for i in dict.fromkeys(ids)]

    def state_by_demonym(self, word: str) -> ActorEntry | None:
        """The state whose demonym is `word` ("Israeli", "Israelis"), or None."""
        ids = self._demonyms.get(surface_key(word), [])
        return self.actors[ids[0]] if len(ids) == 1 else None

    def person_by_surname(self, word: str) -> ActorEntry | None:
        """The one person whose name ends in `word` ("Shukr" -> Fuad Shukr), or None when none or several."""
        ids = self._surnames.get(surface_key(word), [])
        return self.actors[ids[0]] if len(ids) == 1 else None

    def derived(self, state_iso3: str, kind: str) -> ActorEntry:
        """The derived actor of a state: kind is government, military, police or civilians."""
        if kind not in DERIVED_KINDS:
            raise ValueError(f"derived kind must be one of {', '.join(DERIVED_KINDS)}, not {kind!r}")
        entry = self.actors.get(f"{state_iso3.lower()}_{kind}")
        if entry is None:
            raise KeyError(f"no state with ISO3 code {state_iso3!r} in the knowledge base")
        return entry

    def states(self) -> list[ActorEntry]:
        """All entries of kind state."""
        return [e for e in self.actors.values() if e.kind == "state"]

    def office_holders(self, title: str, actor_id: str, on: dt.date | None = None) -> list[ActorEntry]:
        """Persons holding `title` of `actor_id` on the day `on` (None: holders whose term is open)."""
        roles = self._holders.get((title_key(title), actor_id), [])
        ids = [person for role, person in roles if role.holds_on(on)]
        return [self.actors[i] for i in dict.fromkeys(ids)]

    def by_descriptor(self, text: str) -> list[ActorEntry]:
        """Entries one of whose descriptors is `text` (case-insensitive, leading article ignored)."""
        return [self.actors[i] for i in self._descriptors.get(_descriptor_key(text), [])]

    def all_surface_forms(self) -> Iterator[tuple[str, str, str]]:
        """(surface form, actor id, source) for every name, alias, demonym and descriptor."""
        for entry in self.actors.values():
            if entry.name:
                yield entry.name, entry.id, "name"
            for source, forms in (("alias", entry.aliases), ("demonym", entry.demonyms),
                                  ("descriptor", entry.descriptors)):
                for form in forms:
                    yield form, entry.id, source

    def relations_of(self, actor_id: str, type: str | None = None) -> list[KBRelation]:
        """The relations an entry states, optionally only those of one type."""
        entry = self.actors.get(actor_id)
        relations = entry.relations if entry else ()
        return [r for r in relations if type is None or r.type == type]

    def related_to(self, actor_id: str, type: str | None = None) -> list[tuple[ActorEntry, KBRelation]]:
        """Entries stating a relation towards `actor_id` (for example the members of an alliance)."""
        return [(e, r) for e in self.actors.values() for r in e.relations
                if r.actor == actor_id and (type is None or r.type == type)]


def _add(index: dict[str, list[str]], key: str, actor_id: str) -> None:
    ids = index.setdefault(key, [])
    if actor_id not in ids:
        ids.append(actor_id)


# --- validation ----------------------------------------------------------------------------------


def validate(kb: KnowledgeBase) -> list[str]:
    """Problems of a loaded knowledge base, each naming the file and the entry; empty when sound."""
    problems = list(_duplicate_ids(kb)) + list(_kind_changes(kb))
    isos = {e.country for e in kb.states() if e.country}
    for entry in kb.actors.values():
        where = f"{kb.origins.get(entry.id, ('?',))[-1]}: entry {entry.id!r}"
        problems += [f"{where}: {p}" for p in _entry_problems(entry, kb, isos)]
    return problems


def _duplicate_ids(kb: KnowledgeBase) -> Iterator[str]:
    for source in kb.sources:
        seen: set[str] = set()
        for entry_id in source.ids:
            if entry_id in seen:
                yield f"{source.path}: entry {entry_id!r}: duplicate id within the file"
            seen.add(entry_id)


def _kind_changes(kb: KnowledgeBase) -> Iterator[str]:
    """A later file that gives an existing id another kind has most likely reused the id by mistake."""
    stated: dict[str, tuple[str, str]] = {}
    for source in kb.sources:
        for entry_id, kind in zip(source.ids, source.kinds, strict=False):
            if kind is None:
                continue
            earlier = stated.get(entry_id)
            if earlier and earlier[0] != kind:
                yield (f"{source.path}: entry {entry_id!r}: kind {kind!r} replaces kind {earlier[0]!r} "
                       f"given in {earlier[1]} (an id used twice?)")
            stated[entry_id] = (kind, source.path)


def _entry_problems(entry: ActorEntry, kb: KnowledgeBase, isos: set[str]) -> Iterator[str]:
    if not entry.name.strip():
        yield "empty name"
    if entry.kind not in ACTOR_KINDS:
        yield f"unknown kind {entry.kind!r}"
    if entry.country is not None and entry.country not in isos:
        yield f"country {entry.country!r} is not the ISO3 code of a state in the knowledge base"
    if entry.kind == "state" and (entry.country is None or entry.id != entry.country.lower()
                                  or not _ISO3_RE.fullmatch(entry.country)):
        yield "a state's id must be its ISO3 code in lower case, and its country that code"
    if any(not a.strip() for a in (*entry.aliases, *entry.demonyms, *entry.descriptors)):
        yield "empty alias, demonym or descriptor"
    if entry.kind != "state" and (entry.demonyms or entry.capital):
        yield "demonyms and capital are for states only"
    if entry.roles and entry.kind != "person":
        yield "roles are for persons only"
    yield from _span_problem(entry, "entry")
    for rel in entry.relations:
        if rel.type not in RELATION_TYPES:
            yield f"unknown relation type {rel.type!r}"
        yield from _target_problems(rel.actor, kb, f"relation {rel.type}")
        yield from _span_problem(rel, f"relation {rel.type} {rel.actor}")
    for role in entry.roles:
        if not role.title.strip():
            yield "role with an empty title"
        yield from _target_problems(role.actor, kb, f"role {role.title!r}")
        yield from _span_problem(role, f"role {role.title!r} of {role.actor}")


def _target_problems(actor_id: str, kb: KnowledgeBase, what: str) -> Iterator[str]:
    if actor_id not in kb.actors:
        yield f"{what} points at missing id {actor_id!r}"


def _span_problem(item: _Dated, what: str) -> Iterator[str]:
    if item.from_ is not None and item.to is not None and item.from_ > item.to:
        yield f"{what}: 'from' {item.from_} is after 'to' {item.to}"
