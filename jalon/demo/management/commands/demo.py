import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from jalon.accounts.services import DEFAULT_DEMO_PASSWORD, DEMO_ACCOUNTS, demo_accounts_create
from jalon.directory.demo import directory_create
from jalon.directory.services import links_decide_all, links_propose
from jalon.exchange.formats import parse
from jalon.plans.importers import Source
from jalon.plans.models import Plan, PlanStatus
from jalon.plans.services import plan_import
from jalon.portal.demo import portal_demo_create
from jalon.results.demo import results_create
from jalon.tracking.demo import demo_tracking_create

SEED = settings.BASE_DIR / "demo" / "plan-action-2024-2025.txt"


class Command(BaseCommand):
    help = (
        "Load the demo: Alternatives' plan 2024-2025 with tracking data, published on the "
        "public portal, its directory of partners, places and themes, and four accounts "
        "(admin, coordination, responsable, membre) whose password is JALON_DEMO_PASSWORD. "
        "Running it twice changes nothing. Refused when JALON_DEBUG is not 1."
    )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.JALON_DEMO_ALLOWED:
            raise CommandError(_("The demo is never loaded in production (JALON_DEBUG is not 1)."))
        password = os.environ.get("JALON_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)
        demo_accounts_create(password)
        plan = self._plan()
        demo_tracking_create(plan)
        # The directory first: the demo budgets name their funder, a partner.
        directory_create()
        results_create(plan)
        # The demo shows the seed with its links found and accepted, as a coordinator would.
        links_propose(plan=plan)
        links_decide_all(plan=plan, user=None, accept=True)
        portal_demo_create(plan)
        names = ", ".join(username for username, *_rest in DEMO_ACCOUNTS)
        self.stdout.write(_("Accounts: %(names)s.") % {"names": names})

    def _plan(self) -> Plan:
        source = Source.from_path(SEED)
        existing = Plan.objects.filter(source_checksum=source.checksum).first()
        if existing:
            self.stdout.write(_("The demo plan is already loaded: %(slug)s.") % {"slug": existing.slug})
            return existing
        plan = plan_import(parsed=parse(source), source_name=source.name, checksum=source.checksum)
        plan.status = PlanStatus.ADOPTED
        plan.organisation = "Alternatives"
        plan.save(update_fields=["status", "organisation"])
        self.stdout.write(self.style.SUCCESS(_("Demo plan loaded: %(slug)s.") % {"slug": plan.slug}))
        return plan
