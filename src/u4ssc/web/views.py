from __future__ import annotations

import functools
from pathlib import Path

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@functools.cache
def _vega_bundle() -> str:
    # Vega, Vega-Lite and vega-embed in one script, from vl-convert-python's own copy: the
    # charts work offline and the version is pinned by the Python lock file. The snippet
    # (vega_embed.js) draws every chart spec of a page.
    import vl_convert

    snippet = (Path(__file__).with_name("vega_embed.js")).read_text(encoding="utf-8")
    return str(vl_convert.javascript_bundle(snippet=snippet))


@require_GET
@cache_control(max_age=86400, public=True)
def vega_bundle(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_vega_bundle(), content_type="text/javascript; charset=utf-8")


# Redoc draws the Redocly logo from their CDN in its sidebar; a blank image in its place
# keeps the docs page on this host (the "API docs by Redocly" credit stays).
_REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
_BLANK_IMAGE = (
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E"
)


@functools.cache
def _redoc_bundle() -> str:
    # The Redoc build that ships inside django-ninja's wheel (its version pinned by the
    # Python lock file), without the CDN logo and without the source map it points to.
    import ninja

    path = Path(ninja.__file__).parent / "static" / "ninja" / "redoc.standalone.js"
    script = path.read_text(encoding="utf-8").replace(_REDOCLY_LOGO, _BLANK_IMAGE)
    # split("\n"), not splitlines(): the script's strings hold other line separators.
    return "\n".join(
        line for line in script.split("\n") if not line.startswith("//# sourceMappingURL=")
    )


@require_GET
@cache_control(max_age=86400, public=True)
def redoc_bundle(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_redoc_bundle(), content_type="text/javascript; charset=utf-8")
