"""The site's URLs plus views that fail, for the error-page tests."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.urls import path

from u4ssc.web.urls import urlpatterns as site_urls


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret detail of the failure")


def bad(request: HttpRequest) -> HttpResponse:
    raise BadRequest("secret detail of the bad request")


urlpatterns = [
    path("api/boom", boom),
    *i18n_patterns(path("boom/", boom), path("bad/", bad), prefix_default_language=False),
    *site_urls,
]
