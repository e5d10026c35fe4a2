"""The Store: one DuckDB file, opened, migrated and written one whole article at a time."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import duckdb

from sitroom import settings
from sitroom.errors import SitroomError
from sitroom.store.rows import ARTICLE_TABLES, COLUMNS, ArticleRows
from sitroom.store.schema import SCHEMA_VERSION, migrate, needs_migration, schema_version

STALE_KEY = "clusters_stale"
DUCKDB_MAGIC = b"DUCK"   # bytes 8-11 of every DuckDB database file
NO_DOWNLOADS = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def default_path() -> str:
    return str(settings.get("db"))


class Store:
    """A sitroom store. Only one process may hold it open for writing; readers open it `read_only`."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = str(path or default_path())
        self.read_only = read_only
        if read_only and not Path(self.path).exists():
            raise SitroomError("E108", path=self.path)
        check_file(self.path)
        self.con = _connect(self.path, read_only)
        try:
            check_owner(self.con, self.path)
            if read_only and needs_migration(self.con):
                # a reader never writes, not even to upgrade; a command that writes does it
                raise SitroomError("E115", path=self.path, found=schema_version(self.con), supported=SCHEMA_VERSION)
            if not read_only:
                migrate(self.con, self.path)
        except BaseException:
            self.con.close()
            raise

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        return schema_version(self.con)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def meta(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    def article_ids(self) -> set[str]:
        return {row[0] for row in self.con.execute("SELECT id FROM articles").fetchall()}

    def has_article(self, article_id: str) -> bool:
        return self.con.execute("SELECT count(*) FROM articles WHERE id = ?", [article_id]).fetchone()[0] > 0

    def write(self, rows: ArticleRows) -> bool:
        """Store one article with all its rows in one transaction; False when it was already stored."""
        with self.transaction() as con:
            if con.execute("SELECT count(*) FROM articles WHERE id = ?", [rows.id]).fetchone()[0]:
                return False
            for table in ARTICLE_TABLES:
                if table == "actors":
                    insert_new_actors(con, rows.tables.get(table, []))
                else:
                    insert_rows(con, table, rows.tables.get(table, []))
            con.execute("INSERT OR REPLACE INTO meta VALUES (?, '1')", [STALE_KEY])
        return True

    def count(self, table: str) -> int:
        return self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    @property
    def clusters_stale(self) -> bool:
        return self.meta(STALE_KEY) == "1"


def check_file(path: str) -> None:
    """An existing file must be a DuckDB database: DuckDB would otherwise try to read a SQLite file through
    an extension it downloads."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except FileNotFoundError:
        return
    except OSError as err:
        raise SitroomError("E101", path=path, reason=err.strerror or str(err)) from None
    if head and head[8:12] != DUCKDB_MAGIC:
        kind = "a SQLite database" if head.startswith(b"SQLite format 3") else "not a DuckDB database"
        raise SitroomError("E114", path=path, reason=kind)


def check_owner(con: duckdb.DuckDBPyConnection, path: str) -> None:
    """A DuckDB file with tables but no sitroom schema is someone else's: never add tables to it."""
    if schema_version(con):
        return
    tables = [row[0] for row in con.execute(
        "SELECT table_name FROM information_schema.tables ORDER BY 1 LIMIT 4").fetchall()]
    if tables:
        raise SitroomError("E114", path=path, reason=f"a DuckDB database of other tables ({', '.join(tables)})")


def _connect(path: str, read_only: bool) -> duckdb.DuckDBPyConnection:
    if not read_only:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(path, read_only=read_only, config=NO_DOWNLOADS)
    except (duckdb.IOException, duckdb.ConnectionException) as err:
        reason = str(err).splitlines()[0]
        raise SitroomError("E101", path=path, reason=reason) from None


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[tuple],
                columns: Sequence[str] | None = None) -> None:
    """Insert rows column-wise (one list parameter per column, unnested): far faster than executemany."""
    if not rows:
        return
    columns = tuple(columns or COLUMNS[table])
    if len(rows) == 1:
        marks = ", ".join("?" for _ in columns)
        con.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", list(rows[0]))
        return
    lists = [list(values) for values in zip(*rows)]
    selects = ", ".join(f"unnest(${i + 1})" for i in range(len(columns)))
    con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {selects}", lists)


def insert_new_actors(con: duckdb.DuckDBPyConnection, rows: Iterable[tuple]) -> None:
    """Actors are shared across articles: the first description of an id is kept."""
    unique = list({row[0]: row for row in rows}.values())
    if not unique:
        return
    lists = [list(values) for values in zip(*unique)]
    con.execute("INSERT INTO actors SELECT unnest($1), unnest($2), unnest($3), unnest($4) "
                "ON CONFLICT (id) DO NOTHING", lists)


__all__ = ["SCHEMA_VERSION", "Store", "default_path", "insert_rows"]
