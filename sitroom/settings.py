"""Every setting, defined once: name, environment variable, default and help.

The CLI options and the README's settings table are checked against this list by the tests.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: object
    parse: Callable[[str], object]
    help: str

    def value(self) -> object:
        raw = os.environ.get(self.env)
        return self.default if raw in (None, "") else self.parse(raw)


SETTINGS: dict[str, Setting] = {s.name: s for s in [
    Setting("max_chars", "SITROOM_MAX_CHARS", 1_000_000, int,
            "Longest article accepted, in characters; longer ones are refused with error E004."),
    Setting("min_confidence", "SITROOM_MIN_CONFIDENCE", 0.35, float,
            "Events below this confidence are left out of results."),
    Setting("kb", "SITROOM_KB", "", str,
            "Extra actor knowledge-base files (YAML), separated by the OS path separator; they override ours."),
    Setting("db", "SITROOM_DB", "sitroom.duckdb", str,
            "The DuckDB store file used by ingest, queries, exports and the API."),
    Setting("token", "SITROOM_TOKEN", "", str,
            "Bearer token the JSON API requires for writes; writes are refused when it is unset."),
]}


def get(name: str) -> object:
    return SETTINGS[name].value()
