"""Requests refused before any view sees them, and the API's errors in one shape.

A NUL character (``%00``, ``\\u0000``) is never part of a city name, a KPI code or any other
text the platform keeps, and PostgreSQL refuses it in text columns (SQLite does not): a
lookup with one would be a server error on one database and not the other. It is refused
here, once, for pages and API alike: 400 with the API's error body under ``/api/``.
Uploaded files are not looked at (a workbook is full of NUL bytes); the names and values
of form fields are.

Every error the API answers has the body ``{status, code, message, details}``. The API's
own handlers (``web/api.py``) give it; :class:`ApiErrorBodyMiddleware` gives it to the
errors that come from elsewhere under ``/api/``: a path no endpoint has (Django's 404
page), a method an endpoint does not take (ninja's plain-text 405), a server error page.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

MESSAGE = "The request contains a NUL character (%00), which no text may hold."

# Codes and messages of the errors that reach the API's callers from outside its handlers.
_API_ERRORS = {
    400: ("bad_request", "The request is not valid."),
    401: ("unauthenticated", "Authentication required."),
    403: ("forbidden", "Not allowed."),
    404: ("not_found", "There is no such endpoint: see /api/docs."),
    405: ("method_not_allowed", "This endpoint does not take {method}; it takes {allowed}."),
    413: ("too_large", "The request is too large."),
    500: ("server_error", "An unexpected error happened."),
}


def api_error(status: int, code: str, message: str) -> HttpResponse:
    body = {"status": status, "code": code, "message": message, "details": []}
    return HttpResponse(json.dumps(body), status=status, content_type="application/json")


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
        return True
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    content_type = request.content_type or ""
    if content_type == "application/json":
        body = request.body
        return b"\x00" in body or b"\\u0000" in body
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return any(
            "\x00" in key or any("\x00" in v for v in values)
            for key, values in request.POST.lists()
        )
    return False


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            if _is_api(request):
                return api_error(400, "bad_request", MESSAGE)
            return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class ApiErrorBodyMiddleware:
    """Gives every error answer under ``/api/`` the API's JSON error body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not _is_api(request)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        status = response.status_code
        code, message = _API_ERRORS.get(status, ("error", "The request failed."))
        if status == 405:
            allowed = response.get("Allow", "")
            message = message.format(method=request.method, allowed=allowed or "no method")
        answer = api_error(status, code, message)
        for header in ("Allow", "WWW-Authenticate", "Retry-After"):
            if header in response:
                answer[header] = response[header]
        return answer
