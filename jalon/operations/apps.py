from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running Jalon: the task queue's own tasks, periodic jobs, e-mail delivery, health."""

    name = "jalon.operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        # The queue's heartbeat and pruning register themselves as periodic jobs.
        from . import health  # noqa: F401
