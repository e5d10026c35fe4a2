"""The server's hold on the store: one DuckDB connection, a cursor per request for reads, one writer.

FastAPI runs plain `def` routes in a thread pool. A DuckDB connection must not be shared between threads
at once, but its cursors (connections to the same database) can be used in parallel; reads see every
committed write. Writes (ingest, merge) and extraction (the spaCy pipeline is not meant for concurrent
calls) each go one at a time behind a lock.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SitroomError
from ..store.store import Store


class CursorStore(Store):
    """A Store whose connection is a cursor of another Store's: what the store's query functions take."""

    def __init__(self, parent: Store) -> None:
        self.path = parent.path
        self.read_only = parent.read_only
        self.con = parent.con.cursor()


@dataclass
class ApiState:
    store: Store
    token: str = ""
    max_body: int = 5_000_000
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    extract_lock: threading.Lock = field(default_factory=threading.Lock)
    _writing: Store | None = None

    @classmethod
    def open(cls, db: str | Path | None, *, token: str = "", read_only: bool = False,
             max_body: int = 5_000_000) -> ApiState:
        return cls(store=Store(db, read_only=read_only), token=token, max_body=max_body)

    @contextmanager
    def reader(self) -> Iterator[Store]:
        """A cursor of its own for one request (about 0.1 ms to open): FastAPI may run a request's
        dependencies and its route in different threads, so cursors are never shared."""
        cursor = CursorStore(self.store)
        try:
            yield cursor
        finally:
            cursor.con.close()

    @contextmanager
    def writer(self) -> Iterator[Store]:
        """The store for writing, one request at a time."""
        if self.store.read_only:
            raise SitroomError("E203", reason="it was started with --read-only")
        with self.write_lock:
            if self._writing is None:  # the root connection only opens cursors: it is never busy
                self._writing = CursorStore(self.store)
            yield self._writing

    def check_token(self, sent: str | None) -> None:
        if not self.token:
            raise SitroomError("E203", reason="it was started without SITROOM_TOKEN; set it and restart the server")
        if not sent:
            raise SitroomError("E201")
        if not hmac.compare_digest(sent.encode(), self.token.encode()):
            raise SitroomError("E202")

    def close(self) -> None:
        if self._writing is not None:
            self._writing.con.close()
        self.store.close()
