from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    """Partners, places and themes, and the links between them and the plan's items."""

    name = "jalon.directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        # The plan's item page shows this app's section.
        from jalon.plans import panels

        from .views import directory_context

        panels.add_item_section(directory_context)
