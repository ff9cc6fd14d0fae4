"""Attachments and report files in an S3-compatible object store, so that several app
servers and workers share them without a shared folder. A real S3 server answers on
loopback (moto's), configured as a site configures it: JALON_S3_* variables."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jalon.accounts.models import User
from jalon.plans.models import Item, Plan
from jalon.reports.jobs import report_job_start
from jalon.reports.model import default_range
from jalon.reports.models import JobState
from jalon.tracking.services import attachment_add, update_post

from .factories import anonymous

pytestmark = pytest.mark.django_db
BUCKET = "jalon-files"


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "AWS_ACCESS_KEY_ID": "jalon", "AWS_SECRET_ACCESS_KEY": "secret"},
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def object_store(s3_server: str, settings) -> boto3.client:
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="jalon",
        aws_secret_access_key="secret",
        region_name="us-east-1",
    )
    if BUCKET not in [bucket["Name"] for bucket in client.list_buckets()["Buckets"]]:
        client.create_bucket(Bucket=BUCKET)
    options = {
        "bucket_name": BUCKET,
        "endpoint_url": s3_server,
        "region_name": "us-east-1",
        "access_key": "jalon",
        "secret_key": "secret",
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    return client


def stored_keys(client: boto3.client) -> list[str]:
    return [entry["Key"] for entry in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_an_attachment_is_kept_in_the_object_store_and_served_to_members_only(
    object_store: boto3.client, plan: Plan, coordinator: User, member_client: Client
) -> None:
    action = Item.objects.get(plan=plan, code="1.1.2")
    update = update_post(item=action, author=coordinator, text="Atelier tenu.")
    attachment = attachment_add(
        update=update, upload=SimpleUploadedFile("liste.pdf", b"%PDF-1.7 signed list")
    )
    assert attachment.file.name in stored_keys(object_store)
    response = member_client.get(reverse("tracking:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 signed list"  # type: ignore[attr-defined]
    assert anonymous().get(reverse("tracking:attachment", args=[attachment.pk])).status_code == 302


def test_a_report_file_is_kept_in_the_object_store(object_store: boto3.client, plan: Plan) -> None:
    start, end = default_range(plan)
    job = report_job_start(plan=plan, user=None, format="docx", language="fr", date_from=start, date_to=end)
    assert job.state == JobState.DONE
    assert job.file.name in stored_keys(object_store)
    assert job.file.open("rb").read().startswith(b"PK")
