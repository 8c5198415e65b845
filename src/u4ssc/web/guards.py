"""Requests refused before any view sees them.

A NUL character (``%00``, ``\\u0000``) is never part of a city name, a KPI code or any other
text the platform keeps, and PostgreSQL refuses it in text columns (SQLite does not): a
lookup with one would be a server error on one database and not the other. It is refused
here, once, for pages and API alike: 400 with the API's error body under ``/api/``.
Uploaded files are not looked at (a workbook is full of NUL bytes); the names and values
of form fields are.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

MESSAGE = "The request contains a NUL character (%00), which no text may hold."


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
            if request.path.startswith("/api/"):
                body = {"status": 400, "code": "bad_request", "message": MESSAGE, "details": []}
                return HttpResponse(json.dumps(body), status=400, content_type="application/json")
            return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
