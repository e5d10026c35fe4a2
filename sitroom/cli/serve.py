"""`sitroom serve`: the JSON API and the dashboard, on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

from pathlib import Path

import typer

from sitroom import settings
from sitroom.errors import SitroomError
from sitroom.cli.app import app, err, report_error


@app.command()
def serve(
    db: Path | None = typer.Option(None, "--db", help="The store file (default: SITROOM_DB, else "  # noqa: B008
                                                      "./sitroom.duckdb); created when absent."),
    host: str | None = typer.Option(None, "--host", help="Address to listen on (SITROOM_HOST; 127.0.0.1)."),
    port: int | None = typer.Option(None, "--port", min=0, max=65535, help="Port (SITROOM_PORT; 8000)."),
    read_only: bool = typer.Option(False, "--read-only", help="Open the store read-only and refuse writes."),
    log_level: str = typer.Option("warning", "--log-level", help="uvicorn's log level (info logs each request)."),
) -> None:
    """Serve the JSON API (OpenAPI at /docs, also under /v1) and the dashboard at /."""
    import uvicorn

    from sitroom.api import create_app

    chosen_host = host or str(settings.get("host"))
    chosen_port = int(settings.get("port")) if port is None else port
    try:
        application = create_app(db, read_only=read_only, warm=True)
    except SitroomError as error:
        report_error(error)
        raise typer.Exit(1) from None
    writes = "writes need SITROOM_TOKEN" if settings.get("token") else "writes disabled (no SITROOM_TOKEN)"
    if read_only:
        writes = "read-only"
    err.print(f"sitroom: dashboard and API on http://{chosen_host}:{chosen_port}/ (docs at /docs; store "
              f"{application.state.sitroom.store.path}; {writes})", highlight=False)
    uvicorn.run(application, host=chosen_host, port=chosen_port, log_level=log_level)
