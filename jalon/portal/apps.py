from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The public portal: published plans, their progress, public updates, map and partners."""

    name = "jalon.portal"
    verbose_name = _("Public portal")
