"""Jalon served as in production, as a small cluster on this machine: two app servers
(Gunicorn, JALON_DEBUG=0) and a worker of the task queue, sharing one PostgreSQL database
and one media folder. A person signs in through one server and keeps working through the
other; a report asked on one is built by the worker and downloaded through the other; a
worker killed in the middle of a report leaves a job that is tried again, never one stuck
"being prepared".

It starts real processes and speaks HTTP to them, so it runs in the PostgreSQL pass of
`.ci/run` (make test-postgres), where several servers make sense."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from .paths import REPO

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="several servers share a PostgreSQL database (make test-postgres)",
    ),
]

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PASSWORD = "jalon-demo-2024"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    env: dict[str, str]
    database: str
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)

    def jalon(self, *args: str, debug: bool = False) -> str:
        env = {**self.env, "JALON_DEBUG": "1"} if debug else self.env
        done = subprocess.run(
            [sys.executable, "-m", "jalon", *args], env=env, cwd=REPO, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def start_server(self, name: str) -> str:
        port = free_port()
        env = {**self.env, "JALON_BIND": f"127.0.0.1:{port}", "JALON_WEB_WORKERS": "1"}
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "python:jalon.operations.gunicorn_conf",
            "jalon.wsgi",
        ]
        self.processes[name] = subprocess.Popen(
            command, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.ports[name] = port
        base = f"http://127.0.0.1:{port}"
        wait_until(lambda: _answers(base + "/healthz"), f"server {name} to start")
        return base

    def start_worker(self) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "jalon", "db_worker", "--queue-name", "*", "--interval", "0.2"]
        worker = subprocess.Popen(
            command, env=self.env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.processes[f"worker-{worker.pid}"] = worker
        return worker

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

    def rows(self, sql: str) -> list[tuple[object, ...]]:
        with psycopg.connect(self.url, autocommit=True) as database:
            return list(database.execute(sql).fetchall())  # type: ignore[arg-type]

    def execute(self, sql: str) -> None:
        with psycopg.connect(self.url, autocommit=True) as database:
            database.execute(sql)  # type: ignore[arg-type]

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:5432/{self.database}"


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, OSError):
        return False


def wait_until(condition: object, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds} s for {what}")


class Browser:
    """A person's browser: one cookie jar, whichever server answers."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, url: str, **headers: str) -> tuple[int, str, bytes]:
        status, landed, body, _headers = self.fetch(url, **headers)
        return status, landed, body

    def fetch(self, url: str, **headers: str) -> tuple[int, str, bytes, dict[str, str]]:
        request = urllib.request.Request(url, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.geturl(), response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, url, error.read(), dict(error.headers)

    def post(self, url: str, fields: dict[str, str]) -> tuple[int, str, bytes]:
        token = next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(url, data=data, headers={"Referer": url})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.geturl(), response.read()
        except urllib.error.HTTPError as error:
            return error.code, url, error.read()


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    assert connection.vendor == "postgresql"
    database = f"jalon_cluster_{os.getpid()}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {database}")
        admin.execute(f"CREATE DATABASE {database}")
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("JALON_", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "jalon.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "JALON_DEBUG": "0",
        "JALON_SECRET_KEY": secrets.token_urlsafe(50),
        "JALON_HTTPS": "0",
        "JALON_ALLOWED_HOSTS": "127.0.0.1",
        # One media folder for every server, as a shared mount or an object store would be.
        "JALON_VAR_DIR": str(tmp_path / "var"),
        "JALON_TASKS": "database",
    }
    found = Cluster(env, database)
    found.jalon("migrate", "--no-input")
    found.jalon("demo", debug=True)
    found.jalon("collectstatic", "--no-input")
    try:
        yield found
    finally:
        found.stop()
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def sign_in(browser: Browser, server: str) -> None:
    browser.get(server + "/comptes/connexion/")
    status, landed, _body = browser.post(
        server + "/comptes/connexion/", {"username": "coordination", "password": PASSWORD}
    )
    assert status == 200 and "connexion" not in landed


def ask_report(browser: Browser, server: str, slug: str, fmt: str) -> None:
    page = f"{server}/plans/{slug}/bilan/"
    browser.get(page)
    asked = {"date_from": "2024-01-01", "date_to": "2025-12-31", "language": "fr", "format": fmt}
    status, _landed, _body = browser.post(page, asked)
    assert status == 200


def test_two_servers_and_a_worker_share_sessions_reports_and_survive_a_killed_worker(
    cluster: Cluster,
) -> None:
    first, second = cluster.start_server("first"), cluster.start_server("second")
    slug = cluster.rows("SELECT slug FROM plans_plan")[0][0]
    browser = Browser()

    # Signed in through one server, the person keeps working through the other.
    sign_in(browser, first)
    status, landed, body = browser.get(f"{second}/plans/{slug}/tableau-de-bord/")
    assert status == 200 and "connexion" not in landed
    # Static files are named by their content, compressed, and cached for a year.
    stylesheet = re.search(rb'href="(/static/jalon/jalon\.[0-9a-f]{12}\.css)"', body)
    assert stylesheet, "the page links a hashed stylesheet"
    status, _landed, _css, headers = browser.fetch(
        second + stylesheet[1].decode(), **{"Accept-Encoding": "br"}
    )
    assert status == 200 and headers["Content-Encoding"] == "br"
    assert "max-age=315360000" in headers["Cache-Control"]

    # A page kept in the second server's cache is fresh again once the first one writes.
    action_id = cluster.rows(
        "SELECT id FROM plans_item AS item WHERE NOT EXISTS "
        "(SELECT 1 FROM plans_item AS child WHERE child.parent_id = item.id) ORDER BY path LIMIT 1"
    )[0][0]
    item_page = f"/plans/{slug}/items/{action_id}/"
    for _ in range(2):
        assert b"Nouvelle du terrain" not in browser.get(f"{second}{item_page}")[2]
    browser.get(f"{first}{item_page}")
    news = {"date": "2025-03-01", "text": "Nouvelle du terrain"}
    assert browser.post(f"{first}/suivi/{action_id}/nouvelles/", news)[0] == 200
    assert b"Nouvelle du terrain" in browser.get(f"{second}{item_page}")[2]

    # A report asked on one server is built by the worker and downloaded from the other.
    worker = cluster.start_worker()
    ask_report(browser, first, slug, "docx")
    wait_until(lambda: cluster.rows("SELECT state FROM reports_reportjob")[0][0] == "done", "the DOCX", 120)
    job_id = cluster.rows("SELECT id FROM reports_reportjob")[0][0]
    status, _landed, body = browser.get(f"{second}/plans/{slug}/bilan/fichiers/{job_id}/")
    assert status == 200 and body.startswith(b"PK")

    # The health check sees the queue move.
    status, _landed, body = browser.get(f"{second}/healthz")
    assert status == 200 and json.loads(body)["database"] is True

    # A worker killed in the middle of a PDF leaves a job that is tried again, and done.
    ask_report(browser, second, slug, "pdf")
    pdf = "SELECT state, attempts FROM reports_reportjob WHERE format = 'pdf'"
    wait_until(lambda: cluster.rows(pdf)[0][0] == "running", "the worker to take the PDF", 60)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    assert cluster.rows(pdf)[0] == ("running", 1)
    # A minute without a heartbeat, as the periodic job sees it after a real minute.
    cluster.execute("UPDATE reports_reportjob SET heartbeat_at = heartbeat_at - interval '2 minutes'")
    assert "report jobs recovery" in cluster.jalon("periodic")
    assert cluster.rows(pdf)[0] == ("queued", 1)
    cluster.start_worker()
    wait_until(lambda: cluster.rows(pdf)[0][0] == "done", "the PDF, the second time", 180)
    assert cluster.rows(pdf)[0] == ("done", 2)
    pdf_id = cluster.rows("SELECT id FROM reports_reportjob WHERE format = 'pdf'")[0][0]
    status, _landed, body = browser.get(f"{first}/plans/{slug}/bilan/fichiers/{pdf_id}/")
    assert status == 200 and body.startswith(b"%PDF")
