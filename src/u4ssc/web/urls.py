from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from u4ssc.web import views
from u4ssc.web.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("assets/vega-bundle.js", views.vega_bundle, name="vega-bundle"),
    path("assets/redoc.js", views.redoc_bundle, name="redoc-bundle"),
    path("healthz", views.healthz, name="healthz"),
    path("api/", api.urls),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("u4ssc.apps.accounts.urls")),
    path("organisations/", include("u4ssc.apps.organisations.urls")),
    path("", include("u4ssc.apps.reports.urls")),
    path("", include("u4ssc.apps.evaluations.urls")),
    path("", include("u4ssc.apps.catalogue.urls")),
    path("benchmarking/", include("u4ssc.apps.benchmarking.urls")),
    path("", include("u4ssc.apps.tasks.urls")),
    path("", include("u4ssc.apps.transfer.urls")),
    prefix_default_language=False,
)
