import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jalon.exchange.table import export_csv, export_xlsx
from jalon.plans.models import Plan

EXPORTS = {"csv": export_csv, "xlsx": export_xlsx}


class Command(BaseCommand):
    help = (
        "Write a plan's actions table (one row per item with its tracking, links and budget) "
        "as CSV (UTF-8 with BOM, comma-separated) or XLSX, to a file or standard output."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("plan", help="the plan's identifier (slug) or number")
        parser.add_argument("--format", choices=sorted(EXPORTS), default="xlsx")
        parser.add_argument(
            "--lang",
            choices=[code for code, _name in settings.LANGUAGES],
            default=None,
            help="the language of the headers and labels (the plan's language by default)",
        )
        parser.add_argument("-o", "--output", default="-", help="the file to write; - for stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plan = Plan.objects.by_reference(options["plan"])
        except Plan.DoesNotExist as error:
            raise CommandError(_("No plan is called “%(plan)s”.") % options) from error
        data = EXPORTS[options["format"]](plan, options["lang"] or plan.language)
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
