"""Typed loaders for the ontology tables, the trigger lexicon and the status cues.

Everything is read from the data files next to this module (``ontology/``, ``triggers.yaml``,
``cues.yaml``) once, cached with ``functools.lru_cache``; users append their own trigger files
through the ``SITROOM_TRIGGERS`` environment variable (paths separated by ``os.pathsep``).
"""

from __future__ import annotations

import csv
import difflib
import functools
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

__all__ = [
    "ACTOR_KINDS", "CASUALTY_KINDS", "CUE_KEYS", "PLOVER_TYPES", "TRIGGERS_ENV",
    "AcledRule", "CameoCode", "Cues", "KnowledgeError", "Mode", "PloverOntology", "PloverType",
    "TriggerEntry",
    "acled_event_types", "acled_for", "cameo_for", "goldstein", "load_acled_rules", "load_cameo", "load_cues",
    "load_plover", "load_triggers", "normalize_legacy", "quad_class",
]

KNOWLEDGE_DIR = Path(__file__).resolve().parent
ONTOLOGY_DIR = KNOWLEDGE_DIR / "ontology"
TRIGGERS_ENV = "SITROOM_TRIGGERS"

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
ACTOR_KINDS: tuple[str, ...] = (
    "state", "government", "military", "police", "armed_group", "party", "igo", "ngo",
    "media", "person", "civilians", "unknown",
)
CASUALTY_KINDS: tuple[str, ...] = ("killed", "injured", "missing", "abducted", "arrested", "displaced")
CUE_KEYS: tuple[str, ...] = (
    "reporting", "claim", "denial", "accusation", "negation", "planned", "hypothetical", "background",
)
POS_TAGS: frozenset[str] = frozenset({
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN",
    "PUNCT", "SCONJ", "SYM", "VERB", "X",
})
DEFAULT_PRIOR = 0.8


class KnowledgeError(ValueError):
    """A knowledge file is missing or malformed; the message names the file and the entry."""


class _InvalidEntry(ValueError):
    """One problem with one trigger entry; turned into a KnowledgeError that names the entry."""


# ---------------------------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Mode:
    name: str
    cameo: str
    description: str = ""
    extension: bool = False  # a sitroom mode, not in PLOVER 0.8


@dataclass(frozen=True, slots=True)
class PloverType:
    name: str
    quad_class: int
    cameo: str
    description: str
    modes: Mapping[str, Mode]


@dataclass(frozen=True, slots=True)
class CameoException:
    pattern: str  # a code, or a prefix followed by "*"
    type: str
    why: str

    def covers(self, code: str) -> bool:
        if self.pattern.endswith("*"):
            return code.startswith(self.pattern[:-1])
        return code == self.pattern


@dataclass(frozen=True, slots=True)
class PloverOntology:
    types: Mapping[str, PloverType]
    quad_classes: Mapping[int, str]
    cameo_exceptions: tuple[CameoException, ...]
    legacy_types: Mapping[str, tuple[str, str | None]]
    legacy_modes: Mapping[tuple[str, str], tuple[str, str | None]]

    def modes(self, type_: str) -> tuple[str, ...]:
        return tuple(self.types[type_].modes)

    def is_valid(self, type_: str, mode: str | None = None) -> bool:
        if type_ not in self.types:
            return False
        return mode is None or mode in self.types[type_].modes

    def cameo_exception(self, type_: str, code: str) -> CameoException | None:
        """The documented exception that lets ``code`` stand for ``type_``, if there is one."""
        return next((e for e in self.cameo_exceptions if e.type == type_ and e.covers(code)), None)


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str
    label: str
    goldstein: float | None
    quad_class: int
    plover_type: str | None  # as in the 2021 CAMEO -> PLOVER table (None: unmapped)
    plover_mode: str | None


@dataclass(frozen=True, slots=True)
class AcledRule:
    type: str
    modes: frozenset[str | None] | None  # None: any mode; None inside: "no mode"
    actors: frozenset[str] | None
    targets: frozenset[str] | None
    acled: tuple[str, str] | None

    def matches(self, type_: str, mode: str | None, actor_kind: str, target_kind: str) -> bool:
        return (
            self.type == type_
            and (self.modes is None or mode in self.modes)
            and (self.actors is None or actor_kind in self.actors)
            and (self.targets is None or target_kind in self.targets)
        )


@dataclass(frozen=True, slots=True)
class TriggerEntry:
    """One lexicon entry. Exactly one of ``lemma``, ``phrase``, ``verb`` is set."""

    type: str
    cameo: str
    lemma: str | None = None
    phrase: tuple[str, ...] | None = None
    verb: str | None = None
    object: tuple[str, ...] = ()
    particle: str | None = None
    pos: tuple[str, ...] = ()
    mode: str | None = None
    casualty: str | None = None
    prior: float = DEFAULT_PRIOR
    not_object: tuple[str, ...] = ()
    not_context: tuple[str, ...] = ()
    needs_context: tuple[str, ...] = ()
    background: bool = False  # often names a whole conflict ("the invasion"): an event only when anchored
    origin: str = field(default="", compare=False)  # "file#index", for messages

    @property
    def is_blocker(self) -> bool:
        """prior 0: words that contain a trigger but report no event ("heart attack")."""
        return self.prior == 0

    @property
    def kind(self) -> str:
        return "lemma" if self.lemma else "phrase" if self.phrase else "verb"

    @property
    def lemmas(self) -> tuple[str, ...]:
        """Every lemma the entry needs to see in the text (verb, particle, objects, phrase tokens)."""
        if self.lemma:
            return (self.lemma,)
        if self.phrase:
            return self.phrase
        return (self.verb or "",) + ((self.particle,) if self.particle else ()) + self.object

    def __str__(self) -> str:
        if self.lemma:
            return f"lemma {self.lemma!r}"
        if self.phrase:
            return f"phrase {' '.join(self.phrase)!r}"
        extra = f" {self.particle}" if self.particle else ""
        objects = f" + {'|'.join(self.object)}" if self.object else ""
        return f"verb {self.verb + extra!r}{objects}"


@dataclass(frozen=True, slots=True)
class Cues:
    """Status cues by key; each cue is a tuple of lowercase lemmas (one for a word, more for a phrase)."""

    reporting: tuple[tuple[str, ...], ...]
    claim: tuple[tuple[str, ...], ...]
    denial: tuple[tuple[str, ...], ...]
    accusation: tuple[tuple[str, ...], ...]
    negation: tuple[tuple[str, ...], ...]
    planned: tuple[tuple[str, ...], ...]
    hypothetical: tuple[tuple[str, ...], ...]
    background: tuple[tuple[str, ...], ...]

    def words(self, key: str) -> frozenset[str]:
        """The one-word cues of ``key``."""
        return frozenset(c[0] for c in getattr(self, key) if len(c) == 1)

    def phrases(self, key: str) -> tuple[tuple[str, ...], ...]:
        """The multiword cues of ``key``."""
        return tuple(c for c in getattr(self, key) if len(c) > 1)


# ---------------------------------------------------------------------------------------------
# File reading
# ---------------------------------------------------------------------------------------------

def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            # The C loader, when PyYAML has it, reads the 1,000-entry lexicon several times faster.
            return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError:
        raise KnowledgeError(f"{path}: file not found") from None
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: not valid YAML: {exc}") from None


def _did_you_mean(value: object, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(value), list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


_YAML_BOOLEAN_HINT = " (YAML reads unquoted yes/no/on/off as booleans: quote them)"


def _str_list(value: Any, what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        hint = _YAML_BOOLEAN_HINT if isinstance(value, list) and any(isinstance(v, bool) for v in value) else ""
        raise _InvalidEntry(f"{what} must be a list of non-empty strings, got {value!r}{hint}")
    return tuple(v.strip().lower() for v in value)


def _str_value(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        hint = _YAML_BOOLEAN_HINT if isinstance(value, bool) else ""
        raise _InvalidEntry(f"{what} must be a non-empty string, got {value!r}{hint}")
    return value.strip().lower()


# ---------------------------------------------------------------------------------------------
# PLOVER
# ---------------------------------------------------------------------------------------------

def _parse_mode(name: str, raw: Mapping[str, Any]) -> Mode:
    return Mode(name=name, cameo=str(raw["cameo"]), description=raw.get("description", ""),
                extension=bool(raw.get("extension", False)))


def _parse_type(name: str, raw: Mapping[str, Any]) -> PloverType:
    modes = {m: _parse_mode(m, spec) for m, spec in (raw.get("modes") or {}).items()}
    return PloverType(name=name, quad_class=int(raw["quad_class"]), cameo=str(raw["cameo"]),
                      description=raw.get("description", ""), modes=MappingProxyType(modes))


def _parse_legacy_modes(rows: list[Mapping[str, Any]]) -> dict[tuple[str, str], tuple[str, str | None]]:
    return {(r["type"], r["mode"]): (r.get("to_type", r["type"]), r.get("to_mode")) for r in rows}


@functools.lru_cache(maxsize=1)
def load_plover() -> PloverOntology:
    """The 16 PLOVER types with quad classes, modes (PLOVER 0.8 + sitroom extensions) and CAMEO defaults."""
    path = ONTOLOGY_DIR / "plover.yaml"
    raw = _read_yaml(path)
    try:
        types = {name: _parse_type(name, spec) for name, spec in raw["types"].items()}
        exceptions = tuple(CameoException(str(e["cameo"]), e["type"], e["why"]) for e in raw["cameo_exceptions"])
        legacy_types = {old: (new["type"], new.get("mode")) for old, new in raw["legacy_types"].items()}
        legacy_modes = _parse_legacy_modes(raw["legacy_modes"])
        quads = {int(k): v for k, v in raw["quad_classes"].items()}
    except (KeyError, TypeError, ValueError) as exc:
        raise KnowledgeError(f"{path}: malformed: {exc!r}") from None
    if tuple(types) != PLOVER_TYPES:
        raise KnowledgeError(f"{path}: types must be exactly {PLOVER_TYPES}, got {tuple(types)}")
    return PloverOntology(types=MappingProxyType(types), quad_classes=MappingProxyType(quads),
                          cameo_exceptions=exceptions, legacy_types=MappingProxyType(legacy_types),
                          legacy_modes=MappingProxyType(legacy_modes))


def normalize_legacy(type_: str, mode: str | None = None) -> tuple[str, str | None]:
    """Map an older PLOVER type/mode (DEMAND, FIGHT, ``demo-org`` ...) to PLOVER 0.8 + sitroom modes.

    Unknown modes are dropped (None); an unknown type raises KnowledgeError.
    """
    ontology = load_plover()
    mode = mode or None
    if type_ in ontology.legacy_types:
        type_, implied = ontology.legacy_types[type_]
        mode = mode or implied
    if type_ not in ontology.types:
        raise KnowledgeError(f"unknown PLOVER type {type_!r}{_did_you_mean(type_, ontology.types)}")
    if mode is not None and (type_, mode) in ontology.legacy_modes:
        type_, mode = ontology.legacy_modes[(type_, mode)]
    return type_, mode if ontology.is_valid(type_, mode) else None


def quad_class(type_: str) -> int:
    """PLOVER quad class: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict."""
    return _plover_type(type_).quad_class


def cameo_for(type_: str, mode: str | None = None) -> str:
    """Default CAMEO code for a PLOVER type, or for a (type, mode) when the mode is given."""
    ptype = _plover_type(type_)
    if mode is None:
        return ptype.cameo
    if mode not in ptype.modes:
        raise KnowledgeError(f"{mode!r} is not a mode of {type_}{_did_you_mean(mode, ptype.modes)}; "
                             f"modes: {', '.join(ptype.modes) or 'none'}")
    return ptype.modes[mode].cameo


def _plover_type(type_: str) -> PloverType:
    types = load_plover().types
    if type_ not in types:
        raise KnowledgeError(f"unknown PLOVER type {type_!r}{_did_you_mean(type_, types)}")
    return types[type_]


# ---------------------------------------------------------------------------------------------
# CAMEO
# ---------------------------------------------------------------------------------------------

def _parse_cameo_row(row: Mapping[str, str]) -> CameoCode:
    score = row["goldstein"].strip()
    return CameoCode(code=row["code"], label=row["label"], goldstein=float(score) if score else None,
                     quad_class=int(row["quad_class"]), plover_type=row["plover_type"] or None,
                     plover_mode=row["plover_mode"] or None)


@functools.lru_cache(maxsize=1)
def load_cameo() -> Mapping[str, CameoCode]:
    """CAMEO codes by code: label, Goldstein score, CAMEO quad class, PLOVER type/mode of the 2021 table."""
    path = ONTOLOGY_DIR / "cameo.tsv"
    with path.open(encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        rows = [_parse_cameo_row(r) for r in csv.DictReader(lines, delimiter="\t")]
    return MappingProxyType({r.code: r for r in rows})


def goldstein(cameo: str) -> float:
    """Goldstein score of a CAMEO code; a code the source gives no score takes its parent's."""
    table = load_cameo()
    if cameo not in table:
        raise KnowledgeError(f"unknown CAMEO code {cameo!r}{_did_you_mean(cameo, table)}")
    code = cameo
    while table[code].goldstein is None and len(code) > 2:
        code = code[:-1]
    score = table[code].goldstein
    if score is None:
        raise KnowledgeError(f"CAMEO code {cameo!r} has no Goldstein score")
    return score


# ---------------------------------------------------------------------------------------------
# ACLED
# ---------------------------------------------------------------------------------------------

def _kinds(value: Any, where: str) -> frozenset[str] | None:
    if value is None:
        return None
    unknown = set(value) - set(ACTOR_KINDS)
    if unknown:
        raise KnowledgeError(f"{where}: unknown actor kinds {sorted(unknown)}; kinds: {', '.join(ACTOR_KINDS)}")
    return frozenset(value)


def _parse_acled_rule(raw: Mapping[str, Any], where: str, sub_types: Mapping[str, list[str]]) -> AcledRule:
    plover = load_plover()
    type_ = raw.get("type")
    if type_ not in plover.types:
        raise KnowledgeError(f"{where}: unknown PLOVER type {type_!r}{_did_you_mean(type_, plover.types)}")
    modes = raw.get("modes", raw.get("mode"))
    if modes is not None:
        bad = [m for m in modes if m is not None and not plover.is_valid(type_, m)]
        if bad:
            raise KnowledgeError(f"{where}: {bad} not modes of {type_}")
        modes = frozenset(modes)
    acled = raw.get("acled", "missing")
    if acled == "missing":
        raise KnowledgeError(f"{where}: `acled` is required ([event type, sub-event type] or null)")
    if acled is not None:
        if len(acled) != 2 or acled[1] not in sub_types.get(acled[0], ()):
            raise KnowledgeError(f"{where}: {acled!r} is not an ACLED [event type, sub-event type]")
        acled = (acled[0], acled[1])
    return AcledRule(type=type_, modes=modes, actors=_kinds(raw.get("actor"), where),
                     targets=_kinds(raw.get("target"), where), acled=acled)


@functools.lru_cache(maxsize=1)
def load_acled_rules() -> tuple[AcledRule, ...]:
    """The ordered PLOVER -> ACLED rules of ``ontology/acled.yaml`` (first match wins)."""
    path = ONTOLOGY_DIR / "acled.yaml"
    raw = _read_yaml(path)
    sub_types = {etype: spec["sub_event_types"] for etype, spec in raw["event_types"].items()}
    return tuple(_parse_acled_rule(rule, f"{path}: rule {i}", sub_types) for i, rule in enumerate(raw["rules"]))


@functools.lru_cache(maxsize=1)
def acled_event_types() -> Mapping[str, tuple[str, ...]]:
    """ACLED event types -> their sub-event types."""
    raw = _read_yaml(ONTOLOGY_DIR / "acled.yaml")
    return MappingProxyType({k: tuple(v["sub_event_types"]) for k, v in raw["event_types"].items()})


def acled_for(type_: str, mode: str | None = None, actor_kind: str | None = None,
              target_kind: str | None = None) -> tuple[str, str] | None:
    """ACLED (event type, sub-event type) for a PLOVER event, or None when ACLED has no equivalent.

    A missing actor or target counts as kind ``unknown``.
    """
    _plover_type(type_)
    actor, target = actor_kind or "unknown", target_kind or "unknown"
    for kind in (actor, target):
        if kind not in ACTOR_KINDS:
            raise KnowledgeError(f"unknown actor kind {kind!r}{_did_you_mean(kind, ACTOR_KINDS)}")
    rule = next((r for r in load_acled_rules() if r.matches(type_, mode, actor, target)), None)
    return rule.acled if rule else None


# ---------------------------------------------------------------------------------------------
# Triggers
# ---------------------------------------------------------------------------------------------

_TRIGGER_FIELDS = frozenset({
    "lemma", "phrase", "verb", "object", "particle", "pos", "type", "mode", "cameo", "casualty",
    "prior", "not_object", "not_context", "needs_context", "background",
})


def _describe(raw: Mapping[str, Any]) -> str:
    for key in ("lemma", "phrase", "verb"):
        if key in raw:
            return f"{key} {raw[key]!r}"
    return "entry without lemma/phrase/verb"


def _check_matcher(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validate how the entry matches; return the matcher fields of a TriggerEntry."""
    keys = [k for k in ("lemma", "phrase", "verb") if k in raw]
    if len(keys) != 1:
        raise _InvalidEntry(f"needs exactly one of lemma, phrase, verb (has {keys or 'none'})")
    out: dict[str, Any] = {}
    if "lemma" in raw:
        lemma = _str_value(raw["lemma"], "`lemma`")
        if " " in lemma:
            raise _InvalidEntry("`lemma` is one token; use `phrase` for several")
        out["lemma"] = lemma
    elif "phrase" in raw:
        tokens = tuple(_str_value(raw["phrase"], "`phrase`").split())
        if len(tokens) < 2:
            raise _InvalidEntry("`phrase` needs at least two tokens; use `lemma` for one")
        out["phrase"] = tokens
    else:
        out["verb"] = _str_value(raw["verb"], "`verb`")
        if "object" not in raw and "particle" not in raw:
            raise _InvalidEntry("a `verb` entry needs `object` and/or `particle`")
        if "object" in raw:
            out["object"] = _str_list(raw["object"], "`object`")
        if "particle" in raw:
            out["particle"] = _str_value(raw["particle"], "`particle`")
    if "verb" not in raw and ("object" in raw or "particle" in raw):
        raise _InvalidEntry("`object` and `particle` go with `verb` only")
    return out


def _check_coding(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validate type, mode and CAMEO code against the ontology tables."""
    plover, cameo_table = load_plover(), load_cameo()
    type_ = raw.get("type")
    if type_ not in plover.types:
        raise _InvalidEntry(f"unknown type {type_!r}{_did_you_mean(type_, plover.types)}")
    mode = raw.get("mode")
    if mode is not None and not plover.is_valid(type_, mode):
        modes = plover.modes(type_)
        raise _InvalidEntry(f"{mode!r} is not a mode of {type_}{_did_you_mean(mode, modes)}; "
                         f"modes: {', '.join(modes) or 'none'}")
    code = raw.get("cameo")
    if not isinstance(code, str):
        raise _InvalidEntry(f"`cameo` must be a quoted string such as \"190\", got {code!r}")
    if code not in cameo_table:
        raise _InvalidEntry(f"unknown CAMEO code {code!r}{_did_you_mean(code, cameo_table)}")
    return {"type": type_, "mode": mode, "cameo": code}


def _check_options(raw: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "pos" in raw:
        out["pos"] = tuple(p.upper() for p in _str_list(raw["pos"], "`pos`"))
        bad = set(out["pos"]) - POS_TAGS
        if bad:
            raise _InvalidEntry(f"unknown part-of-speech tags {sorted(bad)}")
    if "casualty" in raw:
        if raw["casualty"] not in CASUALTY_KINDS:
            raise _InvalidEntry(f"`casualty` must be one of {', '.join(CASUALTY_KINDS)}, got {raw['casualty']!r}")
        out["casualty"] = raw["casualty"]
    if "prior" in raw:
        prior = raw["prior"]
        if isinstance(prior, bool) or not isinstance(prior, (int, float)) or not 0 <= prior <= 1:
            raise _InvalidEntry(f"`prior` must be a number from 0 to 1, got {prior!r}")
        out["prior"] = float(prior)
    for key in ("not_object", "not_context", "needs_context"):
        if key in raw:
            out[key] = _str_list(raw[key], f"`{key}`")
    if "background" in raw:
        if not isinstance(raw["background"], bool):
            raise _InvalidEntry(f"`background` must be true or false, got {raw['background']!r}")
        out["background"] = raw["background"]
    return out


def _parse_trigger(raw: Any, origin: str) -> TriggerEntry:
    if not isinstance(raw, Mapping):
        raise KnowledgeError(f"{origin}: an entry must be a mapping, got {raw!r}")
    try:
        unknown = set(raw) - _TRIGGER_FIELDS
        if unknown:
            field_ = min(unknown)
            raise _InvalidEntry(f"unknown field {field_!r}{_did_you_mean(field_, _TRIGGER_FIELDS)}")
        fields = _check_matcher(raw) | _check_coding(raw) | _check_options(raw)
    except _InvalidEntry as exc:
        raise KnowledgeError(f"{origin} ({_describe(raw)}): {exc}") from None
    return TriggerEntry(origin=origin, **fields)


def _read_trigger_file(path: Path) -> tuple[TriggerEntry, ...]:
    raw = _read_yaml(path)
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise KnowledgeError(f"{path}: a trigger file is a YAML list of entries")
    return tuple(_parse_trigger(entry, f"{path}#{i}") for i, entry in enumerate(raw))


def _user_trigger_paths() -> tuple[str, ...]:
    value = os.environ.get(TRIGGERS_ENV, "")
    return tuple(p for p in value.split(os.pathsep) if p.strip())


@functools.lru_cache(maxsize=8)
def _load_trigger_files(paths: tuple[str, ...]) -> tuple[TriggerEntry, ...]:
    entries: list[TriggerEntry] = []
    for path in paths:
        entries.extend(_read_trigger_file(Path(path)))
    return tuple(entries)


def load_triggers(*, blockers: bool = False) -> list[TriggerEntry]:
    """The validated trigger lexicon: sitroom's entries, then those of the files in ``SITROOM_TRIGGERS``.

    Blockers (entries with prior 0, such as "heart attack") are left out unless ``blockers=True``: a
    matcher that asks for them must let a blocker win over the shorter entries it overlaps and then
    drop it.
    """
    paths = (str(KNOWLEDGE_DIR / "triggers.yaml"),) + _user_trigger_paths()
    entries = _load_trigger_files(paths)
    return [e for e in entries if blockers or not e.is_blocker]


# ---------------------------------------------------------------------------------------------
# Cues
# ---------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def load_cues() -> Cues:
    """Status cues (reporting, claim, denial, accusation, negation, planned, hypothetical, background)."""
    path = KNOWLEDGE_DIR / "cues.yaml"
    raw = _read_yaml(path)
    if not isinstance(raw, Mapping) or set(raw) != set(CUE_KEYS):
        keys = sorted(raw) if isinstance(raw, Mapping) else raw
        raise KnowledgeError(f"{path}: needs exactly the keys {', '.join(CUE_KEYS)}, got {keys}")
    try:
        parsed = {key: tuple(tuple(c.split()) for c in _str_list(raw[key], key)) for key in CUE_KEYS}
    except _InvalidEntry as exc:
        raise KnowledgeError(f"{path}: {exc}") from None
    return Cues(**parsed)
