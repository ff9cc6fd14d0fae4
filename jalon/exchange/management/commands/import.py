import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jalon.directory.services import links_propose
from jalon.exchange.formats import parse
from jalon.exchange.loading import plan_load
from jalon.plans.importers import FORMATS, ImportFailure, Source
from jalon.plans.models import Plan
from jalon.plans.reporting import import_report
from jalon.plans.services import unique_slug


class Command(BaseCommand):
    help = (
        "Import a plan from a file (seed table, Markdown or text outline, DOCX, CSV, XLSX or "
        "Jalon JSON) and print the report of what was odd in it. One transaction: a file "
        "that cannot be read changes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="the file to import")
        parser.add_argument("--format", choices=FORMATS, help="skip detection and read this format")
        parser.add_argument("--dry-run", action="store_true", help="show the report, write nothing")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--slug", help="the plan's identifier (made from its title otherwise)")
        parser.add_argument(
            "--again", action="store_true", help="import a file even if it was imported before"
        )
        parser.add_argument(
            "--detect",
            action="store_true",
            help="then propose links to the partners, places and themes the items name (jalon detect)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            source = Source.from_path(options["file"])
            parsed = parse(source, options["format"])
        except ImportFailure as failure:
            raise CommandError(str(failure)) from failure
        self._refuse_repeat(source, options["again"] or options["dry_run"])
        if options["dry_run"]:
            reference = unique_slug(options["slug"] or parsed.title)
        else:
            with transaction.atomic():
                plan, left_out = plan_load(
                    parsed=parsed, source_name=source.name, checksum=source.checksum, slug=options["slug"]
                )
                for warning in left_out:
                    self.stderr.write(warning)
                if options["detect"]:
                    links_propose(plan=plan)
            reference = plan.slug
        report = import_report(parsed, reference, dry_run=options["dry_run"])
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            self._print(report)

    def _refuse_repeat(self, source: Source, allowed: bool) -> None:
        earlier = Plan.objects.filter(source_checksum=source.checksum).first()
        if earlier and not allowed:
            raise CommandError(
                _(
                    "%(name)s was already imported as plan “%(slug)s”; "
                    "use --again to import it as another plan."
                )
                % {"name": source.name, "slug": earlier.slug}
            )

    def _print(self, report: dict[str, Any]) -> None:
        if report["dry_run"]:
            self.stdout.write(_("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(_("Imported “%(title)s” as plan %(plan)s.") % report))
        for level in report["levels"]:
            self.stdout.write(
                _("  level %(depth)s (%(name)s): %(items)s items")
                % {**level, "depth": level["depth"] + 1, "name": level["name"] or "—"}
            )
        count = len(report["anomalies"])
        if count:
            self.stdout.write(
                ngettext("%(count)s anomaly:", "%(count)s anomalies:", count) % {"count": count}
            )
        else:
            self.stdout.write(_("No anomaly."))
        for anomaly in report["anomalies"]:
            where = _("line %(line)s") % anomaly if anomaly["line"] else "—"
            self.stdout.write(f"  {where}: {anomaly['message']}")
