from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """`jalon demo`: Alternatives' plan with every app's demo data, for trying Jalon out."""

    name = "jalon.demo"
    verbose_name = _("Demo")
