import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jalon.plans.exporters import EXPORTERS
from jalon.plans.models import Plan


class Command(BaseCommand):
    help = "Write a plan out as JSON, CSV, XLSX or Markdown, to a file or standard output."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("plan", help="the plan's identifier (slug) or number")
        parser.add_argument("--format", choices=sorted(EXPORTERS), default="json")
        parser.add_argument("-o", "--output", default="-", help="the file to write; - for stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plan = Plan.objects.by_reference(options["plan"])
        except Plan.DoesNotExist as error:
            raise CommandError(_("No plan is called “%(plan)s”.") % options) from error
        data = EXPORTERS[options["format"]].export(plan)
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
