from django.urls import path

from u4ssc.apps.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("kpis/", views.catalogue, name="list"),
    path("kpis/<slug:slug>/", views.kpi_detail, name="kpi"),
    path("targets/", views.target_sets, name="target-sets"),
    path("targets/<slug:slug>/", views.target_set_detail, name="target-set"),
]
