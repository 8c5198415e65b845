from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "u4ssc.apps.organisations"
    label = "organisations"
