"""One catalogue of error messages, each with a code and what to do about it."""

from __future__ import annotations


class Errors:
    E001 = "{name}: the text is empty or only whitespace; nothing to extract"
    E002 = "{name}: looks like binary data ({detail}), not text; give a text, HTML, JSONL or CSV file"
    E003 = ("{name}: not valid UTF-8 (byte 0x{byte:02x} at offset {offset}); "
            "re-save the file as UTF-8")
    E004 = ("{name}: {size:,} characters, over the limit of {limit:,}; split the article or raise "
            "--max-chars (SITROOM_MAX_CHARS)")
    E005 = "{name}: cannot read: {reason}"
    E014 = ("{name}: over {size:,} bytes, more than {limit:,} characters can take; split the article or raise "
            "--max-chars (SITROOM_MAX_CHARS)")
    E006 = "bad date {value!r}{where}: expected YYYY-MM-DD"
    E007 = ("{name}: does not look like English text ({detail}); sitroom reads English news only")
    E008 = "{name}, line {line}: {reason}"
    E009 = "{name}: not a gold file: {reason}"
    E010 = "{name}: {reason}"
    E011 = ("the event model in {folder} cannot be loaded ({reason}); reinstall sitroom, or rebuild the weights "
            "with `make train` (README, 'The event model')")
    E012 = ("the event model file {name} in {folder} does not match its checksum in events.json (damaged or "
            "replaced); reinstall sitroom, or rebuild the weights with `make train`")
    E015 = ("the place ranker's weights {name} in {folder} cannot be loaded ({reason}); reinstall sitroom, or "
            "rebuild them with `make train-places` (README, 'Places')")
    E013 = ("publication date {value}{where} is in the future (latest accepted: {latest}); give the date the "
            "article was published")
    # The store, ingest, queries and exports (E1xx).
    E101 = ("{path}: cannot open the store ({reason}); another process holds it: a sitroom command writing to "
            "it (wait for it to finish), or, for a command that writes, a running `sitroom serve` (store through "
            "its POST /articles, or stop it); or choose another file with --db (SITROOM_DB)")
    E102 = ("{path}: the store has schema version {found}, newer than this sitroom supports ({supported}); "
            "upgrade sitroom")
    E103 = "{name}, line {line}: not a JSON object ({reason}); each line of a JSONL file must be one JSON object"
    E104 = ("{name}, line {line}: no text in field {field!r} (fields: {fields}); name the text field with "
            "--text-field (SITROOM_TEXT_FIELD)")
    E105 = "{name}: the HTML page has no main text that could be extracted; give the article's own page"
    E106 = ("no article {id!r} in {path}{hint}; `sitroom events --format json` lists the article ids of each "
            "event")
    E107 = ("place {name!r} is not in the gazetteer{hint}; give a city, region or country name, or "
            "'LAT,LON'")
    E108 = "{path}: no store at this path; run `sitroom ingest FILES --db {path}` first"
    E109 = ("{path}: no Parquet tables found (expected files such as articles.parquet or articles/*.parquet, "
            "as written by `sitroom export parquet`)")
    E110 = "{path}: {table} lacks column(s) {columns}; export it again with `sitroom export parquet`"
    E111 = "unknown {what} {value!r}{hint}; choose one of: {choices}"
    E112 = "{name}, line {line}: {reason}"
    E113 = ("{name}: extraction failed ({reason}); the article was skipped; please report this with the "
            "article attached")
    E114 = ("{path}: not a sitroom store ({reason}); sitroom reads and writes only its own files: choose another "
            "path with --db (SITROOM_DB)")
    E115 = ("{path}: the store has schema version {found}, older than this sitroom's {supported}; reading commands "
            "never change a store: run `sitroom merge --db {path}` once to upgrade it")
    # The JSON API (E2xx); every API error is {"error": {"code", "message", "status"}}.
    E201 = ("this request writes to the store and needs a token: send the header 'Authorization: Bearer TOKEN' "
            "with the server's SITROOM_TOKEN")
    E202 = "the token sent is not the server's SITROOM_TOKEN; writes are refused"
    E203 = "writes are disabled on this server: {reason}"
    E204 = ("the request body is {size:,} bytes, over the limit of {limit:,}; send less, or raise SITROOM_MAX_BODY "
            "on the server")
    E205 = "invalid request: {detail}"
    E206 = "no {what} {id!r} in the store{hint}"
    E207 = "{method} {path}: {reason}; the API is described at /docs"
    E208 = "internal error ({reason}); please report it with the request that caused it"
    E209 = ("the extractor is busy ({limit} requests running or waiting, SITROOM_EXTRACT_QUEUE); retry in a few "
            "seconds")
    # Batch runs on a Dask cluster (E3xx; docs/distributed.md).
    E301 = ("--dask needs Dask, an optional extra: pip install 'sitroom[dask]' (on this machine and on every "
            "worker)")
    E302 = ("{value!r} is not a Dask cluster: give local, local:N (N worker processes on this machine), a "
            "scheduler address such as tcp://host:8786, or a scheduler file (.json)")
    E303 = ("cannot reach the Dask scheduler at {address} ({reason}); start one with `dask scheduler` and "
            "`dask worker`, or run on this machine with --dask local:N")
    E304 = ("shard {shard} ({first} … {last}, {count} articles) failed on the cluster ({reason}); its articles "
            "were not stored; run the same command again to retry it, or ingest those items without --dask to "
            "find the one at fault")
    E305 = ("Dask worker {worker} runs sitroom {found}, this machine {expected}; install the same version on "
            "every worker (pip install 'sitroom[dask]=={expected}')")


class SitroomError(Exception):
    """Base of sitroom's errors; `code` is the catalogue entry (E001 …)."""

    def __init__(self, code: str, **details: object) -> None:
        self.code = code
        self.details = details
        super().__init__(getattr(Errors, code).format(**details))

    def __reduce__(self) -> tuple:
        # Rebuilt from code and details: a worker process (a --workers pool, a Dask worker) hands errors back.
        return _rebuild_error, (type(self), self.code, self.details)


def _rebuild_error(cls: type[SitroomError], code: str, details: dict) -> SitroomError:
    return cls(code, **details)


class InputError(SitroomError):
    """An input (text, file, line, option value) that cannot be used."""


class ModelError(SitroomError):
    """Shipped weights that are missing, damaged or unreadable."""


class GoldFileError(SitroomError):
    """A gold file that does not follow the documented format."""
