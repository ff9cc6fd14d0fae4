"""Write every row and every attached file of the server into one zip file, and read
such a file back into an empty database, SQLite or PostgreSQL alike.

The rows travel as Django's JSON serialisation, which neither database's dump format
can do: a backup taken on SQLite restores on PostgreSQL and the other way round."""

from __future__ import annotations

import datetime
import json
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.timezone import is_aware
from django.utils.translation import gettext as _

FORMAT = "jalon-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
MEDIA = "media/"
# The project's own apps, with their history tables; sessions, permissions and content
# types are rebuilt by Django, and login-failure records belong to the old server.
# Report jobs (reports) are left out: a report is made again from the plan.
APPS = ("accounts", "plans", "tracking", "directory", "results")

Progress = Callable[[str, int], None]


class BackupError(Exception):
    """A backup file that cannot be restored, or a database that must not be overwritten."""


def backed_up_models() -> list[type[models.Model]]:
    """Return the models to save, parents before the rows that point to them."""
    chosen = [model for label in APPS for model in _app_models(label)]
    return serializers.sort_dependencies([(None, chosen)], allow_cycles=True)  # type: ignore[list-item]


def _app_models(label: str) -> list[type[models.Model]]:
    try:
        config = apps.get_app_config(label)
    except LookupError:
        return []
    return [model for model in config.get_models() if not model._meta.proxy]


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to the millisecond; a restore must give back the very
    same rows, so times keep their microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime) or (isinstance(o, datetime.time) and not is_aware(o)):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def backup_write(*, path: Path, progress: Progress | None = None) -> dict[str, int]:
    """Write the whole server to `path` and return how many rows of each model it holds."""
    counts: dict[str, int] = {}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open(DATA, "w") as data, transaction.atomic():
            # One transaction: the rows of every table come from the same moment.
            stream = _TextToBytes(data)
            serializers.serialize("json", _rows(counts, progress), stream=stream, cls=ExactJSONEncoder)
        for name in _media_files():
            archive.write(Path(settings.MEDIA_ROOT) / name, MEDIA + name)
        archive.writestr(MANIFEST, json.dumps(_manifest(counts), indent=2, ensure_ascii=False))
    return counts


def _rows(counts: dict[str, int], progress: Progress | None) -> Iterator[models.Model]:
    for model in backed_up_models():
        label = model._meta.label
        counts[label] = 0
        for row in model._default_manager.order_by("pk").iterator(chunk_size=2000):
            counts[label] += 1
            yield row
        if progress:
            progress(label, counts[label])


class _TextToBytes:
    """The serializer writes text; the zip member takes bytes."""

    def __init__(self, raw: object) -> None:
        self.raw = raw

    def write(self, text: str) -> None:
        self.raw.write(text.encode())  # type: ignore[attr-defined]


# Report files are derived data, made again in a minute, and their jobs are not backed up.
SKIPPED_MEDIA = ("reports/",)


def _media_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    names = (found.relative_to(root).as_posix() for found in root.rglob("*") if found.is_file())
    return sorted(name for name in names if not name.startswith(SKIPPED_MEDIA))


def _manifest(counts: dict[str, int]) -> dict[str, object]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now().isoformat(),
        "migrations": _applied_migrations(),
        "rows": counts,
    }


def _applied_migrations() -> list[list[str]]:
    recorder = MigrationRecorder(_connection())
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _connection():  # type: ignore[no-untyped-def]
    from django.db import connection

    return connection


def backup_restore(*, path: Path, progress: Progress | None = None) -> dict[str, int]:
    """Load a backup into this server's empty database and media folder, or change nothing."""
    archive = _open(path)
    with archive:
        manifest = _read_manifest(archive, path)
        _refuse_unknown_migrations(manifest, path)
        _refuse_a_database_in_use()
        media = _media_members(archive, path)
        written = [_extract(archive, member) for member in media]
        try:
            _load_rows(archive)
        except Exception:
            # The database load is one transaction; take the files back out with it.
            for target in written:
                target.unlink(missing_ok=True)
            raise
        if progress:
            progress(_("files"), len(written))
    counts: dict[str, int] = manifest["rows"]
    return counts


def _load_rows(archive: zipfile.ZipFile) -> None:
    with tempfile.TemporaryDirectory() as workdir:
        data = Path(workdir) / "data.json"
        data.write_bytes(archive.read(DATA))
        # loaddata turns constraint checks off while loading, then checks every row,
        # and resets PostgreSQL's sequences so that new rows get fresh keys.
        # The history rows come from the backup; history must not also record the load
        # (it would, for the many-to-many fields, whose signal ignores raw loading).
        with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", str(data), verbosity=0)


def _open(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError as error:
        raise BackupError(_("%(path)s does not exist.") % {"path": path}) from error
    except zipfile.BadZipFile as error:
        raise BackupError(_("%(path)s is not a Jalon backup (not a zip file).") % {"path": path}) from error


def _read_manifest(archive: zipfile.ZipFile, path: Path) -> dict:  # type: ignore[type-arg]
    names = set(archive.namelist())
    if MANIFEST not in names or DATA not in names:
        raise BackupError(_("%(path)s is not a Jalon backup (its manifest is missing).") % {"path": path})
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except ValueError as error:
        raise BackupError(_("%(path)s has an unreadable manifest.") % {"path": path}) from error
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(_("%(path)s is not a Jalon backup of a known version.") % {"path": path})
    return manifest  # type: ignore[no-any-return]


def _refuse_unknown_migrations(manifest: dict, path: Path) -> None:  # type: ignore[type-arg]
    # A backup from a newer Jalon has tables or columns this server does not know.
    applied = {tuple(pair) for pair in _applied_migrations()}
    unknown = sorted("/".join(pair) for pair in manifest.get("migrations", []) if tuple(pair) not in applied)
    if unknown:
        raise BackupError(
            _("%(path)s comes from a newer version of Jalon (unknown migrations: %(names)s). Upgrade first.")
            % {"path": path, "names": ", ".join(unknown[:5])}
        )


def _refuse_a_database_in_use() -> None:
    in_use = [model._meta.label for model in backed_up_models() if model._default_manager.exists()]
    if in_use:
        raise BackupError(
            _("The database is not empty (it holds %(tables)s): restore only into a new database.")
            % {"tables": ", ".join(in_use[:3])}
        )


def _media_members(archive: zipfile.ZipFile, path: Path) -> list[str]:
    members = [name for name in archive.namelist() if name.startswith(MEDIA) and not name.endswith("/")]
    for name in members:
        # A crafted file must not write outside the media folder.
        relative = PurePosixPath(name[len(MEDIA) :])
        if relative.is_absolute() or ".." in relative.parts:
            raise BackupError(
                _("%(path)s holds a file outside its media folder: %(name)s.") % {"path": path, "name": name}
            )
    return members


def _extract(archive: zipfile.ZipFile, member: str) -> Path:
    target = Path(settings.MEDIA_ROOT) / member[len(MEDIA) :]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(archive.read(member))
    return target
