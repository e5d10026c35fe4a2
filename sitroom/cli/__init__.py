"""The `sitroom` command: one app (`app.py`) and a module of commands per area. Nothing below the command
line imports it."""

from __future__ import annotations

import logging
import os
import sys

from sitroom.errors import SitroomError
from sitroom.cli import extract, store, queries, reports, serve  # noqa: F401, I001  (registered in the order --help lists)
from sitroom.cli.app import app, report_error

__all__ = ["app", "main"]


def main() -> None:
    logging.basicConfig(level=os.environ.get("SITROOM_LOG", "WARNING").upper(),
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except SitroomError as error:
        report_error(error)
        sys.exit(1)
