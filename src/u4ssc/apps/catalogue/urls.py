from django.urls import path

from u4ssc.apps.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("kpis/", views.catalogue, name="list"),
    path("kpis/<slug:slug>/", views.kpi_detail, name="kpi"),
    path("targets/", views.target_sets, name="target-sets"),
    path("targets/new/", views.new_target_set, name="new-target-set"),
    path("targets/<slug:slug>/", views.target_set_detail, name="target-set"),
    path("targets/<slug:slug>/add/", views.add_target, name="add-target"),
    path("targets/<slug:slug>/<int:target_id>/", views.save_target, name="save-target"),
    path("targets/<slug:slug>/<int:target_id>/remove/", views.remove_target, name="remove-target"),
]
