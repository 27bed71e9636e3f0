"""How the simulator refuses: every error is an `ErrorResponse` body.

The state layer raises these errors and the `--demo` child's first answers
(which come before FastAPI is loaded) build them too: FastAPI is imported
only where the app's handlers are installed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from barrack_tui.rules.verdict import Verdict

if TYPE_CHECKING:
    from fastapi import FastAPI, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from starlette.exceptions import HTTPException as StarletteHTTPException


class SimError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers or {}


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


def require(verdict: Verdict, status: int = 400) -> None:
    """Refuse with the rule's own code and message (the TUI shows the same words)."""
    if not verdict.allowed:
        raise SimError(status, verdict.code, verdict.message)


def require_fields(checks: dict[str, Verdict]) -> None:
    """422 listing every failing field with its rule message, as the forms show them."""
    failing = [{"field": name, "code": v.code, "message": v.message} for name, v in checks.items() if not v.allowed]
    if failing:
        raise SimError(422, "VALIDATION_ERROR", failing[0]["message"], {"fields": failing})


def not_found(kind: str, resource_id: str) -> SimError:
    return SimError(404, "NOT_FOUND", f"{kind} {resource_id} not found")


def install_error_handlers(app: FastAPI) -> None:
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from starlette.exceptions import HTTPException as StarletteHTTPException

    @app.exception_handler(SimError)
    async def _sim_error(_: Request, exc: SimError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.message, exc.details), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid_body(_: Request, exc: RequestValidationError) -> JSONResponse:
        fields = [
            {"field": ".".join(str(p) for p in err.get("loc", ()) if p != "body"), "code": err.get("type", "invalid"), "message": err.get("msg", "Invalid value")}
            for err in exc.errors()
        ]
        message = f"{fields[0]['field']}: {fields[0]['message']}" if fields else "Invalid request body"
        return JSONResponse(error_body("VALIDATION_ERROR", message, {"fields": fields}), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:
            # FastAPI's "error parsing the body" (bytes that are not JSON text at all). The contract
            # keeps 400 for rule refusals (always a SimError here); a body that fails is a 422.
            message = "The request body is not valid JSON"
            fields = [{"field": "body", "code": "BODY_UNREADABLE", "message": message}]
            return JSONResponse(error_body("VALIDATION_ERROR", message, {"fields": fields}), status_code=422)
        code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(exc.status_code, "HTTP_ERROR")
        # Keep Starlette's headers: a 405 must say which methods are allowed (RFC 9110 `Allow`).
        return JSONResponse(error_body(code, str(exc.detail)), status_code=exc.status_code, headers=exc.headers)
