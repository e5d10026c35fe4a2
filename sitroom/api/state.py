"""The server's hold on the store: read-only, except while it writes.

The server keeps the file open read-only, so that `sitroom events`, `stats`, `export` and every other reading
command can open it at the same time (DuckDB lets many processes read a file; a writer needs it alone).
FastAPI runs plain `def` routes in a thread pool; each request reads through a cursor of its own on that
read-only connection. A write (POST /articles) extracts first, without the store, then waits for the requests
reading to finish, reopens the file read-write, stores and merges, and goes back to read-only; requests that
arrive meanwhile wait for it (a gate: many readers or one writer). While the server writes, other processes
cannot open the file (E101 names that), and while another process writes, the server's write answers 503.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sitroom.errors import SitroomError
from sitroom.store.store import Store


class CursorStore(Store):
    """A Store whose connection is a cursor of another Store's: what the store's query functions take."""

    def __init__(self, parent: Store) -> None:
        self.path = parent.path
        self.read_only = parent.read_only
        self.con = parent.con.cursor()


class Gate:
    """Many readers at once, or one writer; a waiting writer goes before readers that come after it."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._readers = 0
        self._writing = False
        self._waiting = 0

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self._changed:
            self._changed.wait_for(lambda: not self._writing and not self._waiting)
            self._readers += 1
        try:
            yield
        finally:
            with self._changed:
                self._readers -= 1
                self._changed.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._changed:
            self._waiting += 1
            self._changed.wait_for(lambda: not self._writing and not self._readers)
            self._waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._changed:
                self._writing = False
                self._changed.notify_all()


@dataclass
class ApiState:
    store: Store
    token: str = ""
    max_body: int = 5_000_000
    writable: bool = True
    gate: Gate = field(default_factory=Gate)
    extract_lock: threading.Lock = field(default_factory=threading.Lock)
    extract_queue: int = 4
    _queued: int = 0
    _queue_lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def open(cls, db: str | Path | None, *, token: str = "", read_only: bool = False,
             max_body: int = 5_000_000, extract_queue: int = 4) -> ApiState:
        if not read_only:
            Store(db).close()   # create or upgrade the file once; from here on it is held read-only
        return cls(store=Store(db, read_only=True), token=token, max_body=max_body, writable=not read_only,
                   extract_queue=extract_queue)

    @contextmanager
    def extracting(self) -> Iterator[None]:
        """The pipeline, one request at a time, with at most `extract_queue` running or waiting: the rest are
        refused at once (E209), so no client can pile up work the server then owes everyone else."""
        with self._queue_lock:
            if self._queued >= self.extract_queue:
                raise SitroomError("E209", limit=self.extract_queue)
            self._queued += 1
        try:
            with self.extract_lock:
                yield
        finally:
            with self._queue_lock:
                self._queued -= 1

    @contextmanager
    def reader(self) -> Iterator[Store]:
        """A cursor of its own for one request (about 0.1 ms to open): FastAPI may run a request's
        dependencies and its route in different threads, so cursors are never shared."""
        with self.gate.shared():
            cursor = CursorStore(self.store)
            try:
                yield cursor
            finally:
                cursor.con.close()

    @contextmanager
    def writer(self) -> Iterator[Store]:
        """The store opened read-write for one write, readers held at the gate; read-only again after."""
        if not self.writable:
            raise SitroomError("E203", reason="it was started with --read-only")
        with self.gate.exclusive():   # one writer at a time, no reader meanwhile
            path = self.store.path
            self.store.close()
            try:
                with Store(path) as store:
                    yield store
            finally:
                self.store = Store(path, read_only=True)

    def check_token(self, sent: str | None) -> None:
        if not self.token:
            raise SitroomError("E203", reason="it was started without SITROOM_TOKEN; set it and restart the server")
        if not sent:
            raise SitroomError("E201")
        if not hmac.compare_digest(sent.encode(), self.token.encode()):
            raise SitroomError("E202")

    def close(self) -> None:
        self.store.close()
