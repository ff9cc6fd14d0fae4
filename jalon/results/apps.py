from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    """Results, indicators with their targets and values, and budgets."""

    name = "jalon.results"
    verbose_name = _("Results")
