from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    """Whole-server backups: every row and every attached file, in one file."""

    name = "jalon.backups"
    verbose_name = _("Backups")
