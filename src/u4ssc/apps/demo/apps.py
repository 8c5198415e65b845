from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "u4ssc.apps.demo"
    label = "demo"
