import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jalon.iati.export import IatiError, iati_document, reporting_org_from_settings
from jalon.plans.exporters import EXPORTERS
from jalon.plans.models import Plan

from ... import formats


class Command(BaseCommand):
    help = (
        "Write a plan out as JSON, CSV, XLSX or Markdown, or as IATI 2.03 activity XML "
        "(checked against the IATI schema and codelists), to a file or standard output."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("plan", help="the plan's identifier (slug) or number")
        parser.add_argument("--format", choices=[*sorted(EXPORTERS), "iati"], default="json")
        parser.add_argument(
            "--iati-activity",
            choices=["action", "orientation"],
            default="action",
            help="IATI: one activity per action, or per orientation (the items above the actions)",
        )
        parser.add_argument(
            "--reporting-org-ref",
            default="",
            help="IATI: the publisher's identifier (else JALON_IATI_ORGANISATION_REF)",
        )
        parser.add_argument(
            "--reporting-org-type", default="", help="IATI: its OrganisationType code (21 by default)"
        )
        parser.add_argument("-o", "--output", default="-", help="the file to write; - for stdout")

    def _iati(self, plan: Plan, options: dict[str, Any]) -> bytes:
        org = reporting_org_from_settings(
            plan, ref=options["reporting_org_ref"], type=options["reporting_org_type"]
        )
        if not org.ref:
            raise CommandError(
                _(
                    "IATI needs the publisher's identifier: "
                    "give --reporting-org-ref or set JALON_IATI_ORGANISATION_REF."
                )
            )
        try:
            return iati_document(plan, level=options["iati_activity"], reporting_org=org)
        except IatiError as error:
            raise CommandError(_("No IATI file was written, because: %(why)s") % {"why": error}) from error

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plan = Plan.objects.by_reference(options["plan"])
        except Plan.DoesNotExist as error:
            raise CommandError(_("No plan is called “%(plan)s”.") % options) from error
        data = (
            self._iati(plan, options)
            if options["format"] == "iati"
            else formats.export(plan, options["format"])
        )
        if options["output"] == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        try:
            Path(options["output"]).write_bytes(data)
        except OSError as error:
            raise CommandError(
                _("%(path)s cannot be written: %(reason)s.")
                % {"path": options["output"], "reason": error.strerror}
            ) from error
