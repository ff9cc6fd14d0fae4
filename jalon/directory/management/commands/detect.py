from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jalon.directory.models import LinkStatus
from jalon.directory.services import links_decide_all, links_propose
from jalon.plans.models import Plan


class Command(BaseCommand):
    help = (
        "Find the partners, places and themes a plan's items name and propose links to them "
        "(run it after an import); a coordinator then decides on the plan's links page."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("plan", help="the plan's identifier (slug) or number")
        parser.add_argument(
            "--accept", action="store_true", help="accept every proposed link at once, without review"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plan = Plan.objects.by_reference(options["plan"])
        except Plan.DoesNotExist as error:
            raise CommandError(_("No plan is called “%(plan)s”.") % options) from error
        count = links_propose(plan=plan)
        self.stdout.write(_("%(count)d new links proposed.") % {"count": count})
        if options["accept"]:
            accepted = links_decide_all(plan=plan, user=None, accept=True)
            self.stdout.write(_("%(count)d links accepted.") % {"count": accepted})
        waiting = plan.items.filter(directory_links__status=LinkStatus.PROPOSED).count()
        self.stdout.write(_("%(count)d links wait for a decision.") % {"count": waiting})
