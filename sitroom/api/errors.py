"""One JSON error shape for every failure: {"error": {"code": "E…", "message": "…", "status": 4xx}}.

Codes are the catalogue's (`sitroom/errors.py`): the ones the CLI reports for the same problem (E006 a bad
date, E111 an unknown type, E106 no such article, E004 a text over the limit …) and E2xx for HTTP matters.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from sitroom.errors import Errors, SitroomError

log = logging.getLogger(__name__)
BODY_UNREADABLE = "There was an error parsing the body"

# HTTP status of each catalogue code the API can raise; unlisted ones are 400.
STATUS = {
    "E001": 422, "E002": 422, "E003": 422, "E004": 413, "E014": 413, "E006": 422, "E007": 422, "E013": 422,
    "E101": 503, "E102": 503, "E106": 404, "E107": 400, "E108": 503, "E111": 400, "E113": 500, "E114": 503, "E115": 503,
    "E201": 401, "E202": 401, "E203": 403, "E204": 413, "E205": 422, "E206": 404, "E207": 404, "E208": 500, "E209": 503,
}


class ErrorDetail(BaseModel):
    code: str = Field(description="catalogue code (sitroom/errors.py), e.g. E111", examples=["E111"])
    message: str = Field(description="what went wrong and what to do about it")
    status: int = Field(description="the HTTP status, repeated")


class ErrorResponse(BaseModel):
    error: ErrorDetail


def error_body(code: str, message: str, status: int) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "status": status}}


def error_response(code: str, message: str, status: int, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message, status), status_code=status, headers=headers)


def status_of(error: SitroomError) -> int:
    return STATUS.get(error.code, 400)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a route can answer with (all in the one shape)."""
    meaning = {400: "Bad parameter value", 401: "No or wrong token", 403: "Writes disabled", 404: "Not found",
               413: "Request too large", 422: "Invalid request", 500: "Internal error",
               503: "Store unavailable"}
    return {status: {"model": ErrorResponse, "description": meaning[status]} for status in statuses}


def install(app: FastAPI) -> None:
    """Route every failure (ours, validation, routing, unexpected) into the one shape."""

    @app.exception_handler(SitroomError)
    async def sitroom_error(request: Request, error: SitroomError) -> JSONResponse:
        status = status_of(error)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else (
            {"Retry-After": "2"} if error.code == "E209" else None)
        return error_response(error.code, str(error), status, headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        detail = "; ".join(_describe(e) for e in error.errors()[:5])
        return error_response("E205", Errors.E205.format(detail=detail), 422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 413:
            return error_response("E204", Errors.E204.format(size=getattr(error, "size", 0),
                                                             limit=request.app.state.sitroom.max_body), 413)
        if error.status_code == 400 and error.detail == BODY_UNREADABLE:  # FastAPI's own, for undecodable bodies
            return error_response("E205", Errors.E205.format(detail="the body cannot be read as JSON (is it UTF-8?)"),
                                  422)
        reason = {404: "no such path", 405: "method not allowed"}.get(error.status_code, str(error.detail))
        message = Errors.E207.format(method=request.method, path=request.url.path, reason=reason)
        return error_response("E207", message, error.status_code, getattr(error, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("%s %s failed", request.method, request.url.path)
        reason = f"{type(error).__name__}: {error}"[:300]
        return error_response("E208", Errors.E208.format(reason=reason), 500)


def _describe(error: dict[str, Any]) -> str:
    if error.get("type") == "json_invalid":
        return f"the body is not valid JSON ({error.get('ctx', {}).get('error', 'cannot be parsed')})"
    where = [str(part) for part in error.get("loc", ())]
    place = {"query": "query parameter", "path": "path parameter", "body": "body field",
             "header": "header"}.get(where[0], where[0]) if where else "request"
    name = ".".join(where[1:]) or "(the whole body)"
    return f"{place} {name}: {error.get('msg', 'invalid')}"
