from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from jalon.plans.importers import Source, parse_source
from jalon.plans.models import Plan
from jalon.plans.services import plan_import

SEED = settings.BASE_DIR / "demo" / "plan-action-2024-2025.txt"


class Command(BaseCommand):
    help = "Load the demo data (Alternatives' plan 2024-2025); running it twice changes nothing."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        source = Source.from_path(SEED)
        existing = Plan.objects.filter(source_checksum=source.checksum).first()
        if existing:
            self.stdout.write(_("The demo plan is already loaded: %(slug)s.") % {"slug": existing.slug})
            return
        plan = plan_import(
            parsed=parse_source(source), source_name=source.name, checksum=source.checksum
        )
        plan.status = "adopted"
        plan.organisation = "Alternatives"
        plan.save(update_fields=["status", "organisation"])
        self.stdout.write(self.style.SUCCESS(_("Demo plan loaded: %(slug)s.") % {"slug": plan.slug}))
