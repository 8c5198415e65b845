from django.urls import path

from u4ssc.apps.reports import views

app_name = "reports"
urlpatterns = [
    path("reports/snapshot/<slug:slug>/<int:year>/", views.request_snapshot, name="snapshot"),
    path("reports/national/<slug:slug>/", views.request_national, name="national"),
    path("reports/files/<str:file_id>/", views.download, name="download"),
]
