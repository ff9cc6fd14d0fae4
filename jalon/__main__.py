"""The `jalon` console command: Django's management commands plus Jalon's own."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalon.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        # The default SQLite file lives under var/, which a fresh checkout lacks.
        os.makedirs(settings.VAR_DIR, exist_ok=True)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
