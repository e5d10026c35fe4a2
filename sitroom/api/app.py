"""The FastAPI application: the JSON API (at / and /v1), the dashboard at /, OpenAPI docs at /docs.

Everything the browser loads comes from this server (sitroom/web/): no CDN, no tile server, no internet.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

from sitroom import __version__, settings
from sitroom.api import errors
from sitroom.api.limits import BodyLimit
from sitroom.api.routes import router
from sitroom.api.state import ApiState

log = logging.getLogger(__name__)
WEB = Path(__file__).resolve().parent.parent / "web"
# The dashboard loads only from this server; inline styles are Leaflet's and Cytoscape's.
DASHBOARD_CSP = ("default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
                 "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'")
DESCRIPTION = """Structured, sourced event records from English news about wars, diplomacy, attacks and protests.

Every path is also served under `/v1`. Writes (`POST /articles`) need `Authorization: Bearer SITROOM_TOKEN`.
Every error is `{"error": {"code", "message", "status"}}` with a code from sitroom's catalogue.
The dashboard is at `/`."""


def create_app(db: str | Path | None = None, *, token: str | None = None, read_only: bool = False,
               max_body: int | None = None, warm: bool = False) -> FastAPI:
    """The app over the store `db` (default SITROOM_DB). `warm` loads the pipeline in the background at start,
    so that the first extraction does not wait for it."""
    api = ApiState.open(db, token=str(settings.get("token")) if token is None else token, read_only=read_only,
                        max_body=int(settings.get("max_body")) if max_body is None else max_body,
                        extract_queue=max(1, int(settings.get("extract_queue"))))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            threading.Thread(target=_load_pipeline, name="sitroom-warm", daemon=True).start()
        yield
        api.close()

    app = FastAPI(title="sitroom", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None)
    app.state.sitroom = api
    errors.install(app)
    # Short, stable operation ids (`list_events`, `v1_list_events`) instead of FastAPI's path-derived ones.
    app.include_router(router, generate_unique_id_function=lambda route: route.name)
    app.include_router(router, prefix="/v1", generate_unique_id_function=lambda route: f"v1_{route.name}")
    app.add_middleware(BodyLimit, max_body=api.max_body)
    _mount_web(app)
    return app


def _mount_web(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(WEB / "index.html", media_type="text/html",
                            headers={"Content-Security-Policy": DASHBOARD_CSP, "Cache-Control": "no-cache"})

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=app.openapi_url or "/openapi.json", title="sitroom API",
                                   swagger_js_url="/static/vendor/swagger-ui-bundle.js",
                                   swagger_css_url="/static/vendor/swagger-ui.css",
                                   swagger_favicon_url="/static/favicon.svg")


def _load_pipeline() -> None:
    try:
        from sitroom.components.pipeline import kb_files, load_pipeline
        load_pipeline(kb_files())
    except Exception:  # the first extraction will report it
        log.exception("loading the pipeline in the background failed")
