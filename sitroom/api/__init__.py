"""The JSON API and the web dashboard (FastAPI). `sitroom serve` runs `create_app()` under uvicorn.

    >>> from sitroom.api import create_app
    >>> app = create_app("news.duckdb", token="s3cret")     # any ASGI server can run it
"""

from __future__ import annotations

from sitroom.api.app import create_app

__all__ = ["create_app"]
