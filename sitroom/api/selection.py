"""The filters every view shares: the store's EventFilter (as the CLI's `events` takes it) plus a text search.

The WHERE clause comes from `EventFilter.sql()`; the API only adds the text search, so the CLI and the API
select the same merged events for the same filters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sitroom.store.queries import EventFilter, like_escaped

# A merged event matches the text when its place, actor or target names it, or a report's sentence says it.
_TEXT_CLAUSE = """(c.place_name ILIKE ? OR c.actor_name ILIKE ? OR c.target_name ILIKE ?
    OR c.id IN (SELECT m.cluster_id FROM cluster_members m JOIN events e ON e.id = m.event_id
                WHERE e.sentence ILIKE ?))"""


@dataclass(frozen=True)
class Selection:
    """Which merged events a request is about (alias `c` for the clusters table in the SQL)."""

    filter: EventFilter
    text: str | None = None

    def sql(self) -> tuple[str, list[Any]]:
        where, params = self.filter.sql()
        if self.text:
            pattern = "%" + like_escaped(self.text) + "%"
            where += " AND " + _TEXT_CLAUSE.replace("ILIKE ?", "ILIKE ? ESCAPE '\\'")
            params = [*params, pattern, pattern, pattern, pattern]
        return where, params

    def as_dict(self) -> dict[str, Any]:
        data = self.filter.as_dict()
        if data.get("near"):
            data["near"] = data["near"]["label"]
        if self.text:
            data["q"] = self.text
        return data

