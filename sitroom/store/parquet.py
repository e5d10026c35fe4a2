"""Parquet in and out: every table to files, rows from a cluster run (shards) into the store.

A shard is a folder with one `<table>.parquet` per article table (`rows.COLUMNS`), as written by
`write_shard` from `ArticleRows` made by `ingest.process_batch` on any machine. `import_parquet` loads such
folders, or `sitroom export parquet` output, skipping articles already stored; clusters are not imported
but recomputed by the merge, so they always follow this store's settings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import duckdb

from ..errors import SitroomError
from .rows import ARTICLE_TABLES, COLUMNS, ArticleRows
from .schema import CORE_TABLES
from .store import STALE_KEY, Store, insert_rows

EXPORTED_TABLES = ("articles", "article_bands", "actors", "actor_mentions", "relations", "events",
                   "event_evidence", "syndication", "clusters", "cluster_members")


def _quote(path: Path | str) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def export_tables(store: Store, folder: Path) -> dict[str, int]:
    """Every table to `<folder>/<table>.parquet`; returns the row count of each."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for table in EXPORTED_TABLES:
        target = folder / f"{table}.parquet"
        store.con.execute(f"COPY (SELECT * FROM {table} ORDER BY ALL) TO {_quote(target)} "
                          "(FORMAT parquet, COMPRESSION zstd)")
        counts[table] = store.count(table)
    return counts


def write_shard(rows: Sequence[ArticleRows], folder: Path) -> dict[str, int]:
    """Rows made anywhere (a Dask worker, say) to a shard folder that `import_parquet` loads."""
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        for statement in CORE_TABLES:
            if statement.startswith("CREATE TABLE"):
                con.execute(statement.replace("PRIMARY KEY", ""))
        counts = {}
        for table in ARTICLE_TABLES:
            table_rows = [row for item in rows for row in item.tables.get(table, [])]
            insert_rows(con, table, table_rows)
            con.execute(f"COPY {table} TO {_quote(folder / f'{table}.parquet')} (FORMAT parquet)")
            counts[table] = len(table_rows)
        return counts
    finally:
        con.close()


def shard_files(paths: Iterable[Path]) -> dict[str, list[Path]]:
    """<table>.parquet, <table>-*.parquet and <table>/*.parquet under each path, by table; and those of its
    shard folders (`<path>/<shard>/<table>.parquet`, as a Dask run writes them; hidden ones are unfinished)."""
    found: dict[str, list[Path]] = {}
    for path in paths:
        for table in ARTICLE_TABLES:
            candidates = [path / f"{table}.parquet", *sorted(path.glob(f"{table}-*.parquet")),
                          *sorted((path / table).glob("*.parquet")),
                          *sorted(p for p in path.glob(f"*/{table}.parquet") if not p.parent.name.startswith("."))
                          ] if path.is_dir() else []
            found.setdefault(table, []).extend(p for p in candidates if p.is_file())
    return found


def import_parquet(store: Store, paths: Sequence[Path]) -> dict[str, int]:
    """Load article tables from Parquet in one transaction; returns rows added per table."""
    files = shard_files(paths)
    if not files.get("articles"):
        raise SitroomError("E109", path=", ".join(map(str, paths)))
    con = store.con
    sources = {table: _read(found, ordered=table == "actors") for table, found in files.items() if found}
    for table, source in sources.items():
        _check_columns(con, table, source, files[table][0])
    added: dict[str, int] = {}
    with store.transaction():
        con.execute(f"""CREATE TEMP TABLE new_articles AS
            SELECT DISTINCT ON (id) * FROM {sources['articles']} WHERE id NOT IN (SELECT id FROM articles)""")
        try:
            for table in ARTICLE_TABLES:
                if table not in sources:
                    continue
                added[table] = _import_table(con, table, sources[table], files[table])
            if added.get("articles"):
                con.execute("INSERT OR REPLACE INTO meta VALUES (?, '1')", [STALE_KEY])
        finally:
            con.execute("DROP TABLE new_articles")
    return added


def _read(files: Sequence[Path], ordered: bool = False) -> str:
    listed = f"[{', '.join(_quote(p) for p in files)}]"
    extra = ", filename = true, file_row_number = true" if ordered else ""
    return f"read_parquet({listed}, union_by_name = true{extra})"


def _import_table(con: duckdb.DuckDBPyConnection, table: str, source: str, files: Sequence[Path]) -> int:
    columns = ", ".join(COLUMNS[table])
    before = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    if table == "articles":
        con.execute(f"INSERT INTO articles ({columns}) SELECT {columns} FROM new_articles")
    elif table == "actors":
        # The first description of an id in the files' order wins, as `Store.write` keeps the first one: the
        # store does not depend on how the input was cut into shards.
        listed = f"[{', '.join(_quote(p) for p in files)}]"
        con.execute(f"""INSERT INTO actors ({columns}) SELECT DISTINCT ON (id) {columns} FROM {source}
                        WHERE id NOT IN (SELECT id FROM actors)
                        ORDER BY id, list_position({listed}, filename), file_row_number""")
    else:
        con.execute(f"""INSERT INTO {table} ({columns}) SELECT {columns} FROM {source}
                        WHERE article_id IN (SELECT id FROM new_articles)""")
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] - before


def _check_columns(con: duckdb.DuckDBPyConnection, table: str, source: str, example: Path) -> None:
    present = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
    missing = [c for c in COLUMNS[table] if c not in present]
    if missing:
        raise SitroomError("E110", path=str(example), table=table, columns=", ".join(missing))
