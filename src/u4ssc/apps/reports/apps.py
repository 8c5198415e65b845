from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "u4ssc.apps.reports"
    label = "reports"
    verbose_name = "Reports"
