from django.urls import path

from u4ssc.apps.benchmarking import views

app_name = "benchmarking"
urlpatterns = [
    path("", views.index, name="index"),
    path("method/", views.method, name="method"),
    path("cities/<slug:slug>/", views.profile, name="profile"),
    path("cities/<slug:slug>/<int:year>/", views.profile, name="profile-year"),
    path(
        "cities/<slug:slug>/<int:year>/working/<slug:kpi>/",
        views.working,
        name="working",
    ),
    path("cities/<slug:slug>/history/<slug:kpi>/", views.history, name="history"),
    path("kpis/<slug:kpi>/", views.kpi_page, name="kpi"),
    path("compare/", views.compare, name="compare"),
    path("programmes/<slug:slug>/", views.programme, name="programme"),
    path("embed/cities/<slug:slug>/wheel/", views.embed_wheel, name="embed-wheel"),
    path("embed/cities/<slug:slug>/kpis/<slug:kpi>/", views.embed_tile, name="embed-tile"),
]
