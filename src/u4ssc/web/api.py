"""The open data API (django-ninja) under ``/api/``.

Each app contributes a router from its ``api.py``; this module assembles them, and holds the
pieces every router shares: who is calling (token or session), one error body for every
failure, and pagination. Anonymous callers read published data; writes need a personal
token (``Authorization: Bearer u4s_...``) or a logged-in session.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Redoc
from ninja.pagination import LimitOffsetPagination
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

logger = logging.getLogger(__name__)


class ErrorDetail(Schema):
    loc: list[str | int] = []
    message: str


class ErrorBody(Schema):
    """Every error answer has this shape."""

    status: int
    code: str
    message: str
    details: list[ErrorDetail] = []


def error_response(
    request: HttpRequest, status: int, code: str, message: str, details: list | None = None
) -> HttpResponse:
    return api.create_response(
        request,
        {"status": status, "code": code, "message": message, "details": details or []},
        status=status,
    )


TOKEN_HINT = (
    "Send a personal API token as `Authorization: Bearer <token>` "
    "(create one on your account page, /accounts/me/)."
)


class TokenAuth(HttpBearer):
    """A personal API token (created on the account page)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from u4ssc.apps.accounts.actions import user_for_token

        user = user_for_token(token)
        if user is None:
            # A token was sent and is wrong: say so, rather than try the session.
            raise AuthenticationError(message="invalid or revoked token")
        request.user = user
        return user


class CsrfFailed(Exception):
    """A logged-in browser session wrote without its CSRF token."""


class SessionCookieAuth(SessionAuth):
    """A logged-in browser session, whose writes must carry the CSRF token.

    ninja's ``SessionAuth`` checks the CSRF token of every request, logged in or not, so an
    anonymous script was told "CSRF check Failed" instead of being asked for a token. Here
    only a request with a logged-in session is checked: without one it has no credentials
    (401, answered by the API), with one and no valid token it is refused (403,
    ``csrf_failed``), so a write from another site riding on the cookie never goes through.
    """

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise CsrfFailed
        return user


session_auth = SessionCookieAuth()

WRITE_AUTH = [TokenAuth(), session_auth]


def caller(request: HttpRequest) -> Any:
    """The calling user for read endpoints: token if given, else session, else anonymous."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        from u4ssc.apps.accounts.actions import user_for_token

        user = user_for_token(header[7:].strip())
        if user is None:
            raise AuthenticationError(message="invalid or revoked token")
        return user
    user = getattr(request, "user", None)
    return user if user is not None else AnonymousUser()


class Pagination(LimitOffsetPagination):
    """``?limit=&offset=``; answers ``{"count": N, "items": [...]}`` (max 1000 per page)."""

    class Input(Schema):
        # Bounded: an offset beyond what a database integer holds must be a 422, not a 500.
        limit: int = Field(100, ge=1, le=1000)
        offset: int = Field(0, ge=0, le=1_000_000_000)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=1000, **kwargs)


class PlatformRedoc(Redoc):
    """Redoc, with its script and icon from the platform (``web/api_docs.html``)."""

    template = "web/api_docs.html"


api = NinjaAPI(
    title="U4SSC open data API",
    version="1",
    description=(
        "Published U4SSC KPI data of cities, the KPI catalogue and target sets. "
        "Anonymous callers see published values only. Write access needs a personal token "
        "sent as `Authorization: Bearer <token>`; a write without credentials is answered "
        "401 (`unauthenticated`), a logged-in browser session's write without its CSRF "
        "token 403 (`csrf_failed`). Errors always have the body "
        "`{status, code, message, details}`, unknown paths (404 `not_found`) and methods "
        "(405 `method_not_allowed`) included. Values generated for the demo carry "
        "`is_synthetic: true`."
    ),
    urls_namespace="api",
    docs_url="/docs",
    # Redoc ships complete inside django-ninja's wheel; the platform serves it without the
    # one image it would fetch from Redocly's CDN (web/views.py).
    docs=PlatformRedoc(),
    openapi_url="/openapi.json",
)


@api.exception_handler(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [
        {"loc": [str(p) for p in e.get("loc", [])], "message": str(e.get("msg", e))}
        for e in exc.errors
    ]
    return error_response(request, 422, "invalid_request", "The request is not valid.", details)


@api.exception_handler(DjangoValidationError)
def _django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return error_response(
        request, 422, "invalid", "; ".join(exc.messages), [{"message": m} for m in exc.messages]
    )


@api.exception_handler(AuthenticationError)
def _auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = str(exc.message)
    if not message or message == "Unauthorized":  # ninja's default: no credentials at all
        message = f"Authentication required. {TOKEN_HINT}"
    response = error_response(request, 401, "unauthenticated", message)
    response["WWW-Authenticate"] = 'Bearer realm="u4ssc"'
    return response


@api.exception_handler(CsrfFailed)
def _csrf(request: HttpRequest, exc: CsrfFailed) -> HttpResponse:
    return error_response(
        request,
        403,
        "csrf_failed",
        "A write with a logged-in session needs the CSRF token (the csrftoken cookie sent "
        f"back as the X-CSRFToken header). {TOKEN_HINT}",
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(request, 403, "forbidden", str(exc) or "not allowed")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", str(exc) or "not found")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(request, exc.status_code, "error", str(exc.message))


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A bug, not a bad request: log it and answer with the documented body.
    logger.exception("unexpected API error")
    return error_response(request, 500, "server_error", "An unexpected error happened.")


# Routers of the apps. One line per app.
api.add_router("/catalogue/", "u4ssc.apps.catalogue.api.router", tags=["catalogue"])
api.add_router("/organisations/", "u4ssc.apps.organisations.api.router", tags=["organisations"])
api.add_router("/evaluations/", "u4ssc.apps.evaluations.api.router", tags=["evaluations"])
api.add_router("/benchmarking/", "u4ssc.apps.benchmarking.api.router", tags=["benchmarking"])
api.add_router("/transfer/", "u4ssc.apps.transfer.api.router", tags=["imports and exports"])
