"""The store's tables, their schema version and the migrations that bring an older file up to date.

Migrations are append-only: a released migration never changes; a change of schema is a new migration.
Each runs in its own transaction together with the version bump, so a store is always at a whole version.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from sitroom.errors import SitroomError


@dataclass(frozen=True)
class Migration:
    version: int
    what: str
    statements: tuple[str, ...]


CORE_TABLES = (
    """CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
    """CREATE TABLE articles (
        id VARCHAR PRIMARY KEY,          -- content hash of the text
        source VARCHAR, published DATE, title VARCHAR, url VARCHAR, dateline VARCHAR,
        origin VARCHAR,                  -- the file (and line) it was read from
        text VARCHAR NOT NULL,           -- the full text: evidence offsets index it
        chars INTEGER, events INTEGER,
        signature UINTEGER[],            -- MinHash of word 5-grams, for near-duplicate (syndication) detection
        ingested_at TIMESTAMP, sitroom_version VARCHAR)""",
    """CREATE TABLE article_bands (article_id VARCHAR, band SMALLINT, bucket UBIGINT)""",
    """CREATE TABLE actors (id VARCHAR PRIMARY KEY, name VARCHAR, kind VARCHAR, country VARCHAR)""",
    """CREATE TABLE actor_mentions (article_id VARCHAR, actor_id VARCHAR, start_char INTEGER, end_char INTEGER)""",
    """CREATE TABLE relations (article_id VARCHAR, actor_id VARCHAR, type VARCHAR, other_id VARCHAR,
        start_char INTEGER, end_char INTEGER)   -- offsets null: a knowledge-base fact, not stated in the text""",
    """CREATE TABLE events (
        id VARCHAR PRIMARY KEY, article_id VARCHAR NOT NULL,
        type VARCHAR, mode VARCHAR, cameo VARCHAR, acled_event_type VARCHAR, acled_sub_event_type VARCHAR,
        actor_id VARCHAR, actor_name VARCHAR, actor_kind VARCHAR, actor_country VARCHAR,
        target_id VARCHAR, target_name VARCHAR, target_kind VARCHAR, target_country VARCHAR,
        date_start DATE, date_end DATE, date_precision VARCHAR, date_text VARCHAR, date_rule VARCHAR,
        place_name VARCHAR, country VARCHAR, admin1 VARCHAR, lat DOUBLE, lon DOUBLE, place_precision VARCHAR,
        place_relation VARCHAR, place_text VARCHAR, place_rule VARCHAR,
        fatalities INTEGER, fatalities_qualifier VARCHAR, fatalities_min INTEGER, fatalities_max INTEGER,
        injured INTEGER, injured_min INTEGER, injured_max INTEGER, casualties VARCHAR,
        status VARCHAR, claimed_by VARCHAR, reported_by VARCHAR,
        start_char INTEGER, end_char INTEGER, sentence VARCHAR, confidence DOUBLE)""",
    """CREATE TABLE event_evidence (event_id VARCHAR, article_id VARCHAR, start_char INTEGER, end_char INTEGER,
        sentence VARCHAR, confidence DOUBLE, is_trigger BOOLEAN)""",
    """CREATE TABLE syndication (article_id VARCHAR, story_id VARCHAR)""",
    """CREATE TABLE clusters (
        id VARCHAR, type VARCHAR, mode VARCHAR, cameo VARCHAR, acled_event_type VARCHAR,
        acled_sub_event_type VARCHAR, date_start DATE, date_end DATE, date_precision VARCHAR,
        place_name VARCHAR, country VARCHAR, admin1 VARCHAR, lat DOUBLE, lon DOUBLE, place_precision VARCHAR,
        approximate BOOLEAN,             -- the place is a country or region centre, not the event's point
        actor_id VARCHAR, actor_name VARCHAR, actor_kind VARCHAR, actor_country VARCHAR,
        target_id VARCHAR, target_name VARCHAR, target_kind VARCHAR, target_country VARCHAR,
        status VARCHAR, events INTEGER, reports INTEGER, sources INTEGER, outlets INTEGER, mentions INTEGER,
        fatalities INTEGER, fatalities_qualifier VARCHAR, fatalities_low INTEGER, fatalities_high INTEGER,
        fatalities_reports INTEGER, injured INTEGER, injured_low INTEGER, injured_high INTEGER,
        confidence DOUBLE, first_published DATE, last_published DATE, evidence_event_id VARCHAR)""",
    """CREATE TABLE cluster_members (cluster_id VARCHAR, event_id VARCHAR, article_id VARCHAR, story_id VARCHAR)""",
    "CREATE INDEX events_article ON events (article_id)",
    "CREATE INDEX evidence_event ON event_evidence (event_id)",
    "CREATE INDEX mentions_article ON actor_mentions (article_id)",
    "CREATE INDEX bands_article ON article_bands (article_id)",
)

RUN_TABLES = (
    """CREATE TABLE runs (id VARCHAR PRIMARY KEY, started TIMESTAMP, finished TIMESTAMP, inputs VARCHAR,
        stored INTEGER, skipped INTEGER, failed INTEGER, events INTEGER, status VARCHAR)""",
    """CREATE TABLE run_errors (run_id VARCHAR, path VARCHAR, line INTEGER, code VARCHAR, message VARCHAR)""",
)

BACKGROUND_COLUMNS = (
    # history or a summary (dated over a year before publication, a whole war, a running toll): kept, but out
    # of the default listing, timeline, map and brief
    "ALTER TABLE events ADD COLUMN background BOOLEAN DEFAULT false",
    "ALTER TABLE clusters ADD COLUMN background BOOLEAN DEFAULT false",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "articles, actors, mentions, relations, events, evidence and clusters", CORE_TABLES),
    Migration(2, "ingest runs and their per-item errors", RUN_TABLES),
    Migration(3, "background flag on events and merged events", BACKGROUND_COLUMNS),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """0 for a new file; otherwise the version recorded in `meta`."""
    exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'").fetchone()
    if not exists or not exists[0]:
        return 0
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection, path: str, target: int = SCHEMA_VERSION) -> int:
    """Apply the migrations the file lacks, up to `target`; returns the version reached."""
    found = schema_version(con)
    if found > SCHEMA_VERSION:
        raise SitroomError("E102", path=path, found=found, supported=SCHEMA_VERSION)
    for migration in MIGRATIONS:
        if found < migration.version <= target:
            con.execute("BEGIN TRANSACTION")
            try:
                for statement in migration.statements:
                    con.execute(statement)
                con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(migration.version)])
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            found = migration.version
    return found


def needs_migration(con: duckdb.DuckDBPyConnection) -> bool:
    return schema_version(con) < SCHEMA_VERSION
