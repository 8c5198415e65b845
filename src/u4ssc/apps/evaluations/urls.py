from django.urls import path

from u4ssc.apps.evaluations import views

app_name = "evaluations"
urlpatterns = [
    path("data/", views.workspace, name="workspace"),
    path("data/<slug:slug>/start/", views.start_year, name="start-year"),
    path("data/<slug:slug>/<int:year>/", views.sheet, name="sheet"),
    path(
        "data/<slug:slug>/<int:year>/kpi/<int:kpi_id>/<str:point>/",
        views.save_row,
        name="save-row",
    ),
    path(
        "data/<slug:slug>/<int:year>/values/<int:value_id>/acknowledge/",
        views.acknowledge,
        name="acknowledge",
    ),
    path(
        "data/<slug:slug>/<int:year>/values/<int:value_id>/history/",
        views.value_history,
        name="history",
    ),
    path(
        "data/<slug:slug>/<int:year>/revisions/<int:revision_id>/restore/",
        views.restore,
        name="restore",
    ),
    path("data/<slug:slug>/<int:year>/review/", views.review, name="review"),
    path(
        "data/<slug:slug>/<int:year>/review/<int:value_id>/",
        views.review_row,
        name="review-row",
    ),
    path("data/<slug:slug>/<int:year>/<str:step>/", views.workflow, name="workflow"),
    path("cities/<slug:slug>/<int:year>/", views.public, name="public"),
]
