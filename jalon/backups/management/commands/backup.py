from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jalon.backups.services import backup_write


class Command(BaseCommand):
    help = "Write every row and every attached file of this server into one zip file."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="the zip file to write, for example jalon-2026-11-29.zip")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if path.exists():
            raise CommandError(_("%(path)s already exists; choose another name.") % {"path": path})
        try:
            counts = backup_write(path=path, progress=self._progress)
        except OSError as error:
            path.unlink(missing_ok=True)
            raise CommandError(
                _("%(path)s cannot be written: %(reason)s.") % {"path": path, "reason": error.strerror}
            ) from error
        rows = sum(counts.values())
        self.stdout.write(_("%(path)s written: %(rows)d rows.") % {"path": path, "rows": rows})

    def _progress(self, label: str, count: int) -> None:
        self.stderr.write(f"  {label}: {count}")
