from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TransferConfig(AppConfig):
    name = "u4ssc.apps.transfer"
    label = "transfer"
    verbose_name = _("Imports and exports")

    def ready(self) -> None:
        post_migrate.connect(_install_profiles_after_migrate, sender=self)


def _install_profiles_after_migrate(sender: AppConfig, **kwargs: object) -> None:
    """The import profiles shipped with the package (CDP ...) are there after ``migrate``."""
    from u4ssc.apps.transfer.actions import install_builtin_profiles

    install_builtin_profiles()
