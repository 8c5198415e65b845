from django.apps import AppConfig


class BenchmarkingConfig(AppConfig):
    name = "u4ssc.apps.benchmarking"
    label = "benchmarking"
    verbose_name = "Benchmarking"
