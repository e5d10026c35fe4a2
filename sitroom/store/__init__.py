"""The store: a DuckDB file of articles, actors, events with their evidence, and events merged across sources.

    >>> from sitroom.read.readers import read_items
    >>> from sitroom.store import Store, ingest, merge_store
    >>> with Store("news.duckdb") as store:
    ...     report = ingest(store, read_items(["articles/"]))
    ...     merged = merge_store(store)

Names are imported on first use, so that `sitroom --help` does not load DuckDB.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "Store": "store", "SCHEMA_VERSION": "schema", "ArticleRows": "rows", "article_rows": "rows",
    "IngestReport": "ingest", "ingest": "ingest", "process_batch": "ingest",
    "MergeSettings": "merge", "merge_store": "merge",
    "export_tables": "parquet", "import_parquet": "parquet", "write_shard": "parquet",
}
__all__ = ["SCHEMA_VERSION", "ArticleRows", "IngestReport", "MergeSettings", "Store", "article_rows", "export_tables",
           "import_parquet", "ingest", "merge_store", "process_batch", "write_shard"]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'sitroom.store' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
