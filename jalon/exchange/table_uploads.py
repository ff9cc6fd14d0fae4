"""An edited actions table on its way in: kept for its preview, then applied whole or not
at all. The page and the API both call these, so they keep, purge and apply alike."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from jalon.accounts.models import User
from jalon.plans.importers import Source
from jalon.plans.models import PENDING_IMPORT_LIFETIME, Plan
from jalon.tracking.models import PendingTableImport
from jalon.tracking.services import actions_update

from .table_import import TablePreview, table_preview


class TableNotApplicable(Exception):
    """The table holds errors or conflicts: nothing of it may be applied."""

    def __init__(self, preview: TablePreview) -> None:
        super().__init__("The table holds errors or conflicts.")
        self.preview = preview


def table_upload_keep(*, plan: Plan, user: User, source: Source) -> tuple[PendingTableImport, TablePreview]:
    """Read an uploaded table through (or raise ImportFailure) and keep it for its preview."""
    found = table_preview(plan, source)
    # One upload waits per person and plan: a new one replaces the last, and uploads
    # nobody confirmed within a day go too, so they do not pile up.
    PendingTableImport.objects.filter(plan=plan, uploader=user).delete()
    PendingTableImport.objects.filter(created_at__lt=timezone.now() - PENDING_IMPORT_LIFETIME).delete()
    pending = PendingTableImport.objects.create(
        plan=plan, uploader=user, file_name=source.name, data=source.data
    )
    return pending, found


def table_upload_read(pending: PendingTableImport) -> TablePreview:
    """Return the changes the upload makes against the tracking as it is now."""
    return table_preview(pending.plan, Source(name=pending.file_name, data=bytes(pending.data)))


@transaction.atomic
def table_upload_apply(*, pending: PendingTableImport, user: User) -> int:
    """Apply every change of the upload, or raise (TableNotApplicable, EditConflict,
    ValidationError, ImportFailure) having changed nothing; return how many items changed."""
    found = table_upload_read(pending)
    if not found.can_apply:
        raise TableNotApplicable(found)
    count = actions_update(changes=found.updates, user=user)
    pending.delete()
    return count
