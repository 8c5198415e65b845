from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CatalogueConfig(AppConfig):
    name = "u4ssc.apps.catalogue"
    label = "catalogue"
    verbose_name = "KPI catalogue"

    def ready(self) -> None:
        post_migrate.connect(_sync_after_migrate, sender=self)


def _sync_after_migrate(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    # The KPI table mirrors the catalogue file shipped with the code: every `migrate`
    # brings it up to date, like Django's own content types.
    from u4ssc.apps.catalogue.actions import ensure_programme_defaults, sync_catalogue

    sync_catalogue()
    ensure_programme_defaults()
