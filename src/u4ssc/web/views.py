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
