from django.urls import path

from u4ssc.apps.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("cities/add/", views.add_city, name="add-city"),
    path("<slug:slug>/", views.organisation_detail, name="detail"),
]
