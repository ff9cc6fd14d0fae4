from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "jalon.tracking"
    verbose_name = _("Tracking")

    def ready(self) -> None:
        # The plan's item page shows this app's section and the tree its progress.
        from jalon.plans import panels

        from .rollups import tree_rollups
        from .views import tracking_context

        panels.add_item_section(tracking_context)
        panels.set_tree_progress(tree_rollups)
