from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "u4ssc.apps.tasks"
    label = "tasks"
