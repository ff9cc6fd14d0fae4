from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jalon.accounts.models import User
from jalon.exchange.table_import import TablePreview, table_preview
from jalon.plans.importers import ImportFailure, Source
from jalon.plans.models import Plan
from jalon.tracking.services import EditConflict, actions_update


class Command(BaseCommand):
    help = (
        "Update the tracking of a plan's actions from an edited actions table (CSV or XLSX): "
        "print every change, error and conflict, then apply all the changes or none."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("plan", help="the plan's identifier (slug) or number")
        parser.add_argument("file", help="the edited table, as written by `jalon actions`")
        parser.add_argument("--user", default="", help="the username the history records (needed to apply)")
        parser.add_argument("--dry-run", action="store_true", help="print the changes, apply nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plan = Plan.objects.by_reference(options["plan"])
        except Plan.DoesNotExist as error:
            raise CommandError(_("No plan is called “%(plan)s”.") % options) from error
        user = None if options["dry_run"] else self._user(options["user"])
        try:
            result = table_preview(plan, Source.from_path(options["file"]))
        except ImportFailure as error:
            raise CommandError(str(error)) from error
        self._report(result)
        if result.errors or result.conflicts:
            raise CommandError(_("Nothing was changed: correct the errors and conflicts first."))
        if not result.updates:
            self.stdout.write(_("The file changes nothing."))
        elif user is None:
            self.stdout.write(_("Dry run: nothing was changed."))
        else:
            self._apply(result, user)

    def _user(self, username: str) -> User:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist as error:
            raise CommandError(
                _("Give --user with the username of the person making these changes, or --dry-run.")
            ) from error

    def _report(self, result: TablePreview) -> None:
        for change in result.changes:
            self.stdout.write(
                _("row %(row)s, %(code)s, %(column)s: %(before)s → %(after)s")
                % {
                    "row": change.row,
                    "code": change.item.code or "—",
                    "column": change.column,
                    "before": change.before,
                    "after": change.after,
                }
            )
        for conflict in result.conflicts:
            for column, in_file, now in conflict.differences:
                self.stderr.write(
                    _("row %(row)s, %(column)s: conflict, the file says %(file)s (version %(fv)s) "
                      "but the action now says %(now)s (version %(cv)s)")
                    % {"row": conflict.row, "column": column, "file": in_file, "now": now,
                       "fv": conflict.file_version, "cv": conflict.current_version}
                )  # fmt: skip
        for error in result.errors:
            self.stderr.write(str(error))

    def _apply(self, result: TablePreview, user: User) -> None:
        try:
            count = actions_update(changes=result.updates, user=user)
        except (EditConflict, ValidationError) as error:
            raise CommandError(_("Someone changed these actions meanwhile; nothing was changed.")) from error
        self.stdout.write(
            ngettext("%(count)s item was updated.", "%(count)s items were updated.", count) % {"count": count}
        )
