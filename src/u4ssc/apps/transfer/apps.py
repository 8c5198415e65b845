from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "u4ssc.apps.transfer"
    label = "transfer"
