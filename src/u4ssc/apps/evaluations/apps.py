from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "u4ssc.apps.evaluations"
    label = "evaluations"
