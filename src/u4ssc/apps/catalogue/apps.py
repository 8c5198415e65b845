from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "u4ssc.apps.catalogue"
    label = "catalogue"
