from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    """Results, indicators with their targets and values, and budgets."""

    name = "jalon.results"
    verbose_name = _("Results")

    def ready(self) -> None:
        # The plan's item page shows this app's section.
        from jalon.plans import panels

        from .views import results_context

        panels.add_item_section(results_context)
