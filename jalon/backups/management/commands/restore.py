from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jalon.backups.services import BackupError, backup_restore


class Command(BaseCommand):
    help = "Load a backup written by `jalon backup` into a new, empty database (SQLite or PostgreSQL)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="the zip file written by `jalon backup`")

    def handle(self, *args: Any, **options: Any) -> None:
        # A new database has no tables yet; creating them first is what anyone would do.
        call_command("migrate", verbosity=0)
        try:
            counts = backup_restore(path=Path(options["file"]), progress=self._progress)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(counts.values())
        self.stdout.write(_("%(path)s restored: %(rows)d rows.") % {"path": options["file"], "rows": rows})

    def _progress(self, label: str, count: int) -> None:
        self.stderr.write(f"  {label}: {count}")
