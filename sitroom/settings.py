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
    Setting("min_confidence", "SITROOM_MIN_CONFIDENCE", None, float,
            "Events below this confidence are left out of results; empty: the judge's own threshold (the event "
            "model's F1 optimum on held-out stories, recorded in its events.json; 0.5 for the rules)."),
    Setting("judge", "SITROOM_JUDGE", "hybrid", str,
            "Which words report events: hybrid (the trained event model with syntactic rules on top), model "
            "(the trained model alone) or rules (the trigger lexicon alone)."),
    Setting("event_model", "SITROOM_EVENT_MODEL", "", str,
            "Folder of the event model's weights (events.json, events.onnx, tokenizer.json); empty: the shipped "
            "ones. `make train` rebuilds them."),
    Setting("kb", "SITROOM_KB", "", str,
            "Extra actor knowledge-base files (YAML), separated by the OS path separator; they override ours."),
    Setting("db", "SITROOM_DB", "sitroom.duckdb", str,
            "The DuckDB store file used by ingest, queries, exports and the API."),
    Setting("token", "SITROOM_TOKEN", "", str,
            "Bearer token the JSON API requires for writes; writes are refused when it is unset."),
    Setting("host", "SITROOM_HOST", "127.0.0.1", str,
            "`sitroom serve`: the address the JSON API and dashboard listen on."),
    Setting("port", "SITROOM_PORT", 8000, int, "`sitroom serve`: the port the JSON API and dashboard listen on."),
    Setting("extract_queue", "SITROOM_EXTRACT_QUEUE", 4, int,
            "`sitroom serve`: extraction requests (POST /extract, /extract/annotated, /articles) running or "
            "waiting at once; more are refused at once with 503 E209 and Retry-After."),
    Setting("max_body", "SITROOM_MAX_BODY", 5_000_000, int,
            "JSON API: largest request body accepted, in bytes; larger ones are refused with error E204."),
    Setting("merge_days", "SITROOM_MERGE_DAYS", 1, int,
            "Store merge: reports whose date windows are at most this many days apart can be one event."),
    Setting("merge_km", "SITROOM_MERGE_KM", 50.0, float,
            "Store merge: precisely placed reports at most this many km apart can be one event."),
    Setting("merge_fatalities", "SITROOM_MERGE_FATALITIES", "latest", str,
            "Store merge: a merged event's best fatality figure: latest (the latest independent report), "
            "median or lowest."),
    Setting("syndication_similarity", "SITROOM_SYNDICATION_SIMILARITY", 0.6, float,
            "Store merge: texts at least this similar (estimated word 5-gram Jaccard) are copies of one story."),
    Setting("workers", "SITROOM_WORKERS", 1, int,
            "Ingest: processes running the pipeline; 1 runs it in the main process."),
    Setting("batch_size", "SITROOM_BATCH_SIZE", 16, int,
            "Ingest: articles given to nlp.pipe (and to a worker) at a time."),
    Setting("dask", "SITROOM_DASK", "", str,
            "Ingest on a Dask cluster: local, local:N (N worker processes here), a scheduler address "
            "(tcp://host:8786) or a scheduler file (.json); empty runs without Dask."),
    Setting("shard_size", "SITROOM_SHARD_SIZE", 64, int,
            "Dask ingest: articles per shard (one task on a worker, one Parquet shard)."),
    Setting("shards", "SITROOM_SHARDS", "", str,
            "Dask ingest: the folder of Parquet shards; empty: the store's path with .shards appended."),
    Setting("worker_memory", "SITROOM_WORKER_MEMORY", "2GiB", str,
            "Dask ingest on local:N: memory limit per worker; one going over it is restarted and its shard "
            "retried."),
    Setting("text_field", "SITROOM_TEXT_FIELD", "text", str,
            "JSONL/CSV input: the field holding the article text."),
    Setting("title_field", "SITROOM_TITLE_FIELD", "title", str, "JSONL/CSV input: the field holding the title."),
    Setting("date_field", "SITROOM_DATE_FIELD", "published", str,
            "JSONL/CSV input: the field holding the publication date (YYYY-MM-DD, or an ISO timestamp)."),
    Setting("source_field", "SITROOM_SOURCE_FIELD", "source", str,
            "JSONL/CSV input: the field holding the source's name."),
    Setting("url_field", "SITROOM_URL_FIELD", "url", str, "JSONL/CSV input: the field holding the URL."),
]}


def get(name: str) -> object:
    return SETTINGS[name].value()
