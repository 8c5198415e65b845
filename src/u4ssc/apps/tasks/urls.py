from django.urls import path

from u4ssc.apps.tasks import views

app_name = "tasks"
urlpatterns = [path("tasks/<uuid:task_id>/", views.task_status, name="status")]
