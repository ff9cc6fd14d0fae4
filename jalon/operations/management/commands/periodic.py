from typing import Any

from django.core.management.base import BaseCommand

from jalon.operations import periodic


class Command(BaseCommand):
    help = (
        "Run the periodic jobs whose time has come (old report files, work a stopped worker "
        "left, the queue's heartbeat, reminders and digests). Call it every minute from a "
        "systemd timer or cron; several servers may call it at once, each job runs once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for name in periodic.run_due():
            self.stdout.write(name)
