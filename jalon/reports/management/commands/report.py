import datetime
import os
from argparse import ArgumentParser, ArgumentTypeError
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.utils.translation import gettext as _

from jalon.plans.models import Plan
from jalon.reports.formats import FORMATS
from jalon.reports.model import STEPS, ReportError, build_report

BAR_WIDTH = 30


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise ArgumentTypeError(_("“%(text)s” is not a date like 2025-03-31.") % {"text": text}) from error


class ProgressBar:
    """A text bar on standard error, redrawn in place for each step."""

    def __init__(self, stream: OutputWrapper, steps: int) -> None:
        self.stream, self.steps, self.done = stream, steps, 0

    def step(self, label: str) -> None:
        self.done += 1
        filled = BAR_WIDTH * min(self.done, self.steps) // self.steps
        line = f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {self.done}/{self.steps} {label}"
        self.stream.write(line.ljust(BAR_WIDTH + 60), ending="\n" if self.done == self.steps else "")
        self.stream.flush()


class Command(BaseCommand):
    help = "Write the annual progress report of a plan for a date range, as PDF, DOCX or HTML."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("plan", help="the plan's identifier (slug) or number")
        parser.add_argument("--format", choices=sorted(FORMATS), default="pdf")
        parser.add_argument("--lang", choices=["fr", "en"], default="", help="the plan's language by default")
        parser.add_argument(
            "--from",
            dest="date_from",
            type=_date,
            metavar="DATE",
            help="first day (the plan's start by default)",
        )
        parser.add_argument(
            "--to", dest="date_to", type=_date, metavar="DATE", help="last day (the plan's end by default)"
        )
        parser.add_argument("-o", "--output", required=True, help="the file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plan = Plan.objects.by_reference(options["plan"])
        except Plan.DoesNotExist as error:
            raise CommandError(_("No plan is called “%(plan)s”.") % options) from error
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(_("Cannot write %(path)s: its folder does not exist.") % {"path": output})
        if output.is_dir() or not os.access(output if output.exists() else output.parent, os.W_OK):
            raise CommandError(
                _("Cannot write %(path)s: permission denied or not a file.") % {"path": output}
            )
        fmt = FORMATS[options["format"]]
        render_steps = plan.items.roots().count() if fmt.by_axis else 1
        bar = ProgressBar(self.stderr, STEPS + render_steps + 1)
        try:
            report = build_report(
                plan,
                date_from=options["date_from"],
                date_to=options["date_to"],
                language=options["lang"],
                step=bar.step,
            )
        except ReportError as error:
            raise CommandError(str(error)) from error
        data = fmt.render(report, bar.step)
        try:
            output.write_bytes(data)
        except OSError as error:
            raise CommandError(
                _("Cannot write %(path)s: %(why)s") % {"path": output, "why": error.strerror or error}
            ) from error
        bar.step(_("written"))
        self.stdout.write(_("Report written to %(path)s.") % {"path": output})
