"""Guards that keep the project honest: migrations, command help, documented settings."""

import re
from io import StringIO

import pytest
from django.core.management import call_command, get_commands, load_command_class

from .paths import REPO


@pytest.mark.django_db
def test_no_migration_is_pending() -> None:
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_every_jalon_command_has_help_text() -> None:
    ours = {name: app for name, app in get_commands().items() if app.startswith("jalon")}
    assert {"import", "export", "demo"} <= set(ours)
    for name, app in ours.items():
        assert load_command_class(app, name).help.strip(), f"{name} has no help text"


def test_every_setting_read_from_the_environment_is_documented() -> None:
    settings_source = (REPO / "jalon" / "settings.py").read_text()
    names = set(re.findall(r'environ\.get\(\s*"([A-Z_]+)"', settings_source))
    documented = (REPO / "docs" / "settings.md").read_text()
    example = (REPO / ".env.example").read_text()
    for name in names:
        assert f"`{name}`" in documented, f"{name} is missing from docs/settings.md"
        assert f"{name}=" in example, f"{name} is missing from .env.example"
