"""`jalon backup` and `jalon restore`: every row and every attached file, from one
database to another, SQLite or PostgreSQL, and nothing changed by a file that is wrong."""

from __future__ import annotations

import datetime
import json
import os
import socket
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from jalon.accounts.services import demo_accounts_create
from jalon.backups.services import DATA, BackupError, ExactJSONEncoder, backup_restore, backup_write
from jalon.plans.exporters import EXPORTERS
from jalon.plans.models import Item, Plan
from jalon.tracking import services as tracking
from jalon.tracking.demo import demo_tracking_create

from .factories import make_plan
from .paths import REPO

# The messages checked here are the English source strings.
pytestmark = pytest.mark.usefixtures("in_english")

ATTACHMENT = b"%PDF-1.4 compte rendu de l'atelier\n"


def a_server_in_use() -> Plan:
    """Return a plan with people, tracking, an update with an attached file, and history."""
    users = demo_accounts_create("jalon-demo-2024")
    plan = make_plan()
    demo_tracking_create(plan)
    action = plan.items.get(code="1.1.2")
    tracking.update_post(
        item=action,
        author=users[1],
        text="Atelier tenu à **Tegucigalpa**.",
        progress=30,
        files=[SimpleUploadedFile("atelier.pdf", ATTACHMENT, content_type="application/pdf")],
    )
    return plan


def export_json(plan: Plan) -> bytes:
    return EXPORTERS["json"].export(Plan.objects.get(slug=plan.slug))


def rows_of(path: Path) -> list[dict[str, object]]:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read(DATA))  # type: ignore[no-any-return]


@pytest.mark.django_db(transaction=True)
def test_restoring_into_an_empty_database_gives_back_the_same_plan_rows_and_files(
    media: Path, tmp_path: Path
) -> None:
    plan = a_server_in_use()
    before = export_json(plan)
    backup = tmp_path / "jalon.zip"
    backup_write(path=backup)
    call_command("flush", interactive=False, verbosity=0)
    for found in media.rglob("*"):
        if found.is_file():
            found.unlink()
    assert not Item.objects.exists()

    backup_restore(path=backup)

    assert export_json(plan) == before
    again = tmp_path / "again.zip"
    backup_write(path=again)
    assert rows_of(again) == rows_of(backup)
    attached = [found for found in media.rglob("*") if found.is_file()]
    assert [found.read_bytes() for found in attached] == [ATTACHMENT]


@pytest.mark.django_db(transaction=True)
def test_a_restore_into_a_database_in_use_is_refused_and_changes_nothing(media: Path, tmp_path: Path) -> None:
    a_server_in_use()
    backup = tmp_path / "jalon.zip"
    backup_write(path=backup)
    count = Item.objects.count()
    with pytest.raises(BackupError, match="not empty"):
        backup_restore(path=backup)
    assert Item.objects.count() == count


def crafted(tmp_path: Path, members: dict[str, bytes]) -> Path:
    path = tmp_path / "crafted.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


MANIFEST = json.dumps({"format": "jalon-backup", "version": 1, "migrations": [], "rows": {}}).encode()


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"notes.txt": b"hello"}, "manifest is missing"),
        ({"manifest.json": b"{", "data.json": b"[]"}, "unreadable manifest"),
        ({"manifest.json": b'{"format": "other"}', "data.json": b"[]"}, "known version"),
        (
            {"manifest.json": MANIFEST, "data.json": b"[]", "media/../../etc/passwd": b"x"},
            "outside its media",
        ),
        (
            {
                "manifest.json": json.dumps(
                    {"format": "jalon-backup", "version": 1, "migrations": [["plans", "9999_future"]]}
                ).encode(),
                "data.json": b"[]",
            },
            "newer version",
        ),
    ],
)
@pytest.mark.django_db
def test_a_file_that_is_not_a_good_backup_is_refused_by_name(
    media: Path, tmp_path: Path, members: dict[str, bytes], message: str
) -> None:
    path = crafted(tmp_path, members)
    with pytest.raises(BackupError, match=message) as refusal:
        backup_restore(path=path)
    assert "crafted.zip" in str(refusal.value)
    assert not media.exists() or not any(media.rglob("*"))


@pytest.mark.django_db
def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text("Axe 1")
    with pytest.raises(BackupError, match="not a zip file"):
        backup_restore(path=path)


def postgresql_listens() -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", 5432)) == 0


ADMIN_DATABASE = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def other_databases(tmp_path: Path) -> Iterator[list[str]]:
    """Return the databases to restore into: a new SQLite file, and PostgreSQL when this
    suite runs on SQLite and a server listens, so that each direction is crossed."""
    targets = [f"sqlite:///{tmp_path / 'restored.sqlite3'}"]
    # A name of this run's own: another run on the same server must not drop it midway.
    name = f"jalon_restore_test_{os.getpid()}"
    crossing = connection.vendor == "sqlite" and postgresql_listens()
    if crossing:
        with psycopg.connect(ADMIN_DATABASE, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name}")  # type: ignore[arg-type]
            admin.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
        targets.append(f"postgres://postgres@127.0.0.1:5432/{name}")
    yield targets
    if crossing:
        with psycopg.connect(ADMIN_DATABASE, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[arg-type]


@pytest.mark.django_db(transaction=True)
def test_the_commands_carry_a_server_to_another_database(
    media: Path, tmp_path: Path, other_databases: list[str]
) -> None:
    a_server_in_use()
    backup = tmp_path / "jalon.zip"
    call_command("backup", str(backup), verbosity=0)
    for number, database in enumerate(other_databases):
        env = {**os.environ, "DATABASE_URL": database, "JALON_VAR_DIR": str(tmp_path / f"server{number}")}
        jalon = [sys.executable, "-m", "jalon"]
        restored = subprocess.run(
            [*jalon, "restore", str(backup)], env=env, cwd=REPO, capture_output=True, text=True
        )
        assert restored.returncode == 0, (database, restored.stderr)
        again = tmp_path / f"again{number}.zip"
        backed_up = subprocess.run(
            [*jalon, "backup", str(again)], env=env, cwd=REPO, capture_output=True, text=True
        )
        assert backed_up.returncode == 0, backed_up.stderr
        assert rows_of(again) == rows_of(backup), database
        copied = tmp_path / f"server{number}" / "media"
        assert [found.read_bytes() for found in copied.rglob("*") if found.is_file()] == [ATTACHMENT]
        twice = subprocess.run(
            [*jalon, "restore", str(backup)], env=env, cwd=REPO, capture_output=True, text=True
        )
        assert twice.returncode != 0 and "jalon_" not in twice.stderr and twice.stderr.strip()


def test_a_backup_keeps_the_microseconds_of_every_time() -> None:
    # Django's JSON cuts times to the millisecond: a time of 12:20:49.000456 came back as
    # 12:20:49, and a restored server differed from the backed-up one.
    moment = datetime.datetime(2026, 11, 29, 12, 20, 49, 456, tzinfo=datetime.UTC)
    written = json.loads(json.dumps({"at": moment}, cls=ExactJSONEncoder))
    assert written == {"at": "2026-11-29T12:20:49.000456Z"}
