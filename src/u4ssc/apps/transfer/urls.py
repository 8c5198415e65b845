from django.urls import path

from u4ssc.apps.transfer import views

app_name = "transfer"
urlpatterns = [
    path("imports/", views.imports, name="imports"),
    path("imports/<slug:slug>/<int:year>/", views.upload, name="upload"),
    path("imports/<slug:slug>/<int:year>/workbook.xlsx", views.workbook, name="workbook"),
    path("import-reports/<int:pk>/", views.report, name="report"),
    path("downloads/", views.download, name="download"),
]
