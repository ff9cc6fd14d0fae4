from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The annual progress report (bilan annuel) of a plan, in HTML, PDF and DOCX."""

    name = "jalon.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # Registers its periodic jobs: recovering lost jobs, pruning old files.
        from . import jobs  # noqa: F401
