"""What docs/deploy.md runs on a server, run here: Django's deployment check on the guide's
settings, and Gunicorn with the project's configuration under a home it may not write
(systemd's ProtectSystem=strict)."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .paths import REPO


def production_env(tmp_path: Path) -> dict[str, str]:
    """The settings of docs/deploy.md section 4, on a SQLite file of the test's own."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("JALON_", "DJANGO_")) and name != "DATABASE_URL"
    }
    return env | {
        "JALON_SECRET_KEY": secrets.token_urlsafe(50),
        "JALON_ALLOWED_HOSTS": "jalon.example.org",
        "JALON_TRUSTED_ORIGINS": "https://jalon.example.org",
        "JALON_BEHIND_TLS_PROXY": "1",
        "JALON_HTTPS": "1",
        "JALON_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'jalon.sqlite3'}",
        "HOME": str(tmp_path / "home"),
    }


def test_the_deployment_check_of_the_guide_reports_nothing(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "jalon", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path),
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_gunicorn_starts_without_writing_a_control_socket_in_its_home(tmp_path: Path) -> None:
    env = production_env(tmp_path)
    home = Path(env["HOME"])
    home.mkdir()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env |= {"JALON_BIND": f"127.0.0.1:{port}", "JALON_WEB_WORKERS": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "python:jalon.operations.gunicorn_conf", "jalon.wsgi"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        # The arbiter would have started its control server by now, right after listening.
        time.sleep(1)
    finally:
        server.send_signal(signal.SIGTERM)
        _, log = server.communicate(timeout=30)
    assert "Listening at" in log, log
    assert "control" not in log.lower(), log
    assert not (home / ".gunicorn").exists()


class Exited(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


def test_a_gunicorn_worker_leaves_at_once_with_gunicorns_exit_code(monkeypatch: pytest.MonkeyPatch) -> None:
    from jalon.operations import gunicorn_conf

    def exit_now(code: int) -> None:
        raise Exited(code)

    closed: list[bool] = []
    monkeypatch.setattr(gunicorn_conf.os, "_exit", exit_now)
    monkeypatch.setattr("django.db.connections.close_all", lambda: closed.append(True))

    def leave(raised: BaseException | None) -> int:
        # Gunicorn calls the hook in the `finally` of the worker's life, as its exit unwinds.
        try:
            try:
                if raised:
                    raise raised
            finally:
                gunicorn_conf.worker_exit(object(), object())
        except Exited as exited:
            return exited.code
        raise AssertionError("the worker did not leave")

    assert leave(SystemExit(0)) == 0
    assert leave(None) == 0
    # A worker that could not boot (3) or load the application (4) still stops the server.
    assert leave(SystemExit(3)) == 3
    assert leave(SystemExit(4)) == 4
    assert closed == [True] * 4
