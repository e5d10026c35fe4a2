"""Parquet in and out: every table to files, rows from a cluster run (shards) into the store.

A shard is a folder with one `<table>.parquet` per article table (`rows.COLUMNS`), as written by
`write_shard` from `ArticleRows` made by `ingest.process_batch` on any machine. `import_parquet` loads such
folders, or `sitroom export parquet` output, skipping articles already stored; clusters are not imported
but recomputed by the merge, so they always follow this store's settings.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import duckdb

from sitroom.errors import SitroomError
from sitroom.store.rows import ARTICLE_TABLES, COLUMNS, ArticleRows
from sitroom.store.schema import MIGRATIONS
from sitroom.store.store import STALE_KEY, Store, insert_rows

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
        for statement in (s for migration in MIGRATIONS for s in migration.statements):
            if statement.startswith(("CREATE TABLE", "ALTER TABLE")):  # the tables as the schema has them now
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
    for table, file, _ in _found(paths):
        found.setdefault(table, []).append(file)
    return found


def _found(paths: Iterable[Path]) -> Iterator[tuple[str, Path, str]]:
    """(table, file, group): a group (a path given, or a shard folder in it) holds whole articles."""
    for path in paths:
        if not path.is_dir():
            continue
        shards = sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")
                        and p.name not in ARTICLE_TABLES)
        for table in ARTICLE_TABLES:
            own = [path / f"{table}.parquet", *sorted(path.glob(f"{table}-*.parquet")),
                   *sorted((path / table).glob("*.parquet"))]
            yield from ((table, file, str(path)) for file in own if file.is_file())
            yield from ((table, shard / f"{table}.parquet", str(shard)) for shard in shards
                        if (shard / f"{table}.parquet").is_file())


def import_parquet(store: Store, paths: Sequence[Path]) -> dict[str, int]:
    """Load article tables from Parquet in one transaction; returns rows added per table. An article found in
    several groups (paths, shard folders) is taken whole from the first, never mixed or doubled."""
    found = list(_found(paths))
    files = shard_files(paths)
    if not files.get("articles"):
        raise SitroomError("E109", path=", ".join(map(str, paths)))
    con = store.con
    sources = {table: _read(listed) for table, listed in files.items() if listed}
    for table, source in sources.items():
        _check_columns(con, table, source, files[table][0])
    added: dict[str, int] = {}
    with store.transaction():  # the temporary tables go with a rollback too
        con.execute("CREATE TEMP TABLE import_files (filename VARCHAR, grp VARCHAR, position INTEGER)")
        con.execute("INSERT INTO import_files SELECT unnest($1), unnest($2), unnest($3)",
                    [[str(f) for _, f, _ in found], [g for _, _, g in found], list(range(len(found)))])
        con.execute(f"""CREATE TEMP TABLE new_articles AS
            SELECT DISTINCT ON (a.id) a.*, f.grp AS import_group FROM {sources['articles']} a
            JOIN import_files f USING (filename) WHERE a.id NOT IN (SELECT id FROM articles)
            ORDER BY a.id, f.position""")
        for table in ARTICLE_TABLES:
            if table in sources:
                added[table] = _import_table(con, table, sources[table])
        if added.get("articles"):
            con.execute("INSERT OR REPLACE INTO meta VALUES (?, '1')", [STALE_KEY])
        con.execute("DROP TABLE new_articles")
        con.execute("DROP TABLE import_files")
    return added


def _read(files: Sequence[Path]) -> str:
    listed = f"[{', '.join(_quote(p) for p in files)}]"
    return f"read_parquet({listed}, union_by_name = true, filename = true, file_row_number = true)"


def _import_table(con: duckdb.DuckDBPyConnection, table: str, source: str) -> int:
    columns = ", ".join(COLUMNS[table])
    taken = ", ".join(f"r.{c}" for c in COLUMNS[table])
    before = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    if table == "articles":
        con.execute(f"INSERT INTO articles ({columns}) SELECT {columns} FROM new_articles")
    elif table == "actors":
        # The first description of an id in the files' order wins, as `Store.write` keeps the first one: the
        # store does not depend on how the input was cut into shards.
        con.execute(f"""INSERT INTO actors ({columns}) SELECT DISTINCT ON (r.id) {taken} FROM {source} r
                        JOIN import_files f USING (filename) WHERE r.id NOT IN (SELECT id FROM actors)
                        ORDER BY r.id, f.position, r.file_row_number""")
    else:
        con.execute(f"""INSERT INTO {table} ({columns}) SELECT {taken} FROM {source} r
                        JOIN import_files f USING (filename)
                        JOIN new_articles n ON n.id = r.article_id AND n.import_group = f.grp""")
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] - before


def _check_columns(con: duckdb.DuckDBPyConnection, table: str, source: str, example: Path) -> None:
    present = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
    missing = [c for c in COLUMNS[table] if c not in present]
    if missing:
        raise SitroomError("E110", path=str(example), table=table, columns=", ".join(missing))
