from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "u4ssc.apps.accounts"
    label = "accounts"
