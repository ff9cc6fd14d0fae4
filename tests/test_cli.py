"""The `jalon` command: import, dry runs, JSON reports, refusals and the demo."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from jalon.plans.models import Anomaly, Item, Plan

from .paths import REPO, SEED

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_creates_the_plan_with_its_items_and_report() -> None:
    run("import", str(SEED))
    plan = Plan.objects.get()
    assert plan.slug == "plan-d-action-2024-2025"
    assert plan.items.count() == 54
    assert plan.anomalies.count() == 11
    assert plan.source_name == SEED.name and len(plan.source_checksum) == 64


def test_import_keeps_the_tree_order_and_codes_in_the_database() -> None:
    run("import", str(SEED))
    actions = Item.objects.filter(parent__code="1.4").in_document_order()
    assert [item.code for item in actions] == ["1.4.1", "1.4.2", "1.4.4", "1.4.5", "1.4.4", "1.4.5", "1.4.6"]
    assert Item.objects.get(code="1.1.1.").parent.code == "1.1"


def test_a_dry_run_reports_and_writes_nothing() -> None:
    output = run("import", str(SEED), "--dry-run")
    assert "1.4.3" in output
    assert Plan.objects.count() == Item.objects.count() == Anomaly.objects.count() == 0


def test_the_json_report_names_the_plan_and_every_anomaly_with_its_line() -> None:
    report = json.loads(run("import", str(SEED), "--json"))
    assert report["plan"] == Plan.objects.get().slug
    assert {"kind", "code", "message", "line"} <= set(report["anomalies"][0])
    assert ("missing_code", "1.4.3", 12) in {(a["kind"], a["code"], a["line"]) for a in report["anomalies"]}


def test_the_json_report_of_a_dry_run_names_the_plan_it_would_create() -> None:
    report = json.loads(run("import", str(SEED), "--json", "--dry-run"))
    assert report["plan"] == "plan-d-action-2024-2025" and report["dry_run"] is True


def test_importing_the_same_file_twice_is_refused_unless_asked() -> None:
    run("import", str(SEED))
    with pytest.raises(CommandError, match="already imported|déjà importé"):
        run("import", str(SEED))
    run("import", str(SEED), "--again")
    assert sorted(Plan.objects.values_list("slug", flat=True)) == [
        "plan-d-action-2024-2025",
        "plan-d-action-2024-2025-2",
    ]


@pytest.mark.parametrize(
    "name, data",
    [
        ("empty.txt", b""),
        ("binary.txt", bytes(range(256)) * 4),
        ("cut.txt", "1.1 Élaborer la planification stratégique".encode()[:-3] + b"\xc3"),
        ("truncated.docx", b"PK\x03\x04\x14\x00\x00\x00"),
    ],
)
def test_a_bad_file_is_refused_by_name_and_changes_nothing(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CommandError, match=name):
        run("import", str(path))
    assert Plan.objects.count() == 0


def test_an_unknown_plan_cannot_be_exported() -> None:
    with pytest.raises(CommandError, match="nothing-here"):
        run("export", "nothing-here")


def test_demo_loads_the_seed_once_however_often_it_runs() -> None:
    run("demo")
    run("demo")
    assert Plan.objects.count() == 1
    assert Plan.objects.get().status == "adopted"


def test_the_console_command_exits_non_zero_and_says_why_on_a_bad_file(tmp_path: Path) -> None:
    (tmp_path / "empty.md").write_bytes(b"")
    database = tmp_path / "cli.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    jalon = [sys.executable, "-m", "jalon"]
    subprocess.run([*jalon, "migrate", "-v0"], env=env, check=True, cwd=REPO)
    result = subprocess.run(
        [*jalon, "import", str(tmp_path / "empty.md")], env=env, cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "empty.md" in result.stderr
    done = subprocess.run(
        [*jalon, "import", str(SEED), "--json"], env=env, cwd=REPO, capture_output=True, text=True
    )
    assert json.loads(done.stdout)["items"] == 54
    assert database.stat().st_size > 0


def test_demo_creates_one_account_per_role_and_tracks_every_action() -> None:
    from jalon.accounts.models import User
    from jalon.tracking.models import Tracking

    run("demo")
    assert dict(User.objects.values_list("username", "role")) == {
        "admin": "admin",
        "coordination": "coordinator",
        "responsable": "lead",
        "membre": "member",
    }
    assert Tracking.objects.count() == Item.objects.leaves().count() == 41
    assert User.objects.get(username="membre").check_password("jalon-demo-2024")


def test_demo_is_refused_in_production_settings(settings) -> None:
    settings.JALON_DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="JALON_DEBUG"):
        run("demo")
    assert Plan.objects.count() == 0
