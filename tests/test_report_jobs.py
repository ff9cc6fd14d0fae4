"""PDF and DOCX reports prepared beside the request: asked for on the page, watched while
they are prepared, downloaded when ready, by internal readers only."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jalon.accounts.models import User
from jalon.backups.services import backup_restore, backup_write
from jalon.plans.models import Plan
from jalon.reports import jobs
from jalon.reports.jobs import ProgressRecorder, report_files_prune, report_job_start, report_jobs_recover
from jalon.reports.models import JobState, ReportJob

from .factories import import_seed, report_seed

pytestmark = pytest.mark.django_db

ASKED = {"date_from": "2024-01-01", "date_to": "2025-12-31", "language": "fr"}


@pytest.fixture
def seed(lead: User) -> Plan:
    return report_seed(lead)


def ask(client: Client, plan: Plan, fmt: str) -> str:
    response = client.post(reverse("reports:page", args=[plan.slug]), {**ASKED, "format": fmt})
    assert response.status_code == 303
    return str(response["Location"])


def a_job(plan: Plan, user: User | None = None, **fields: object) -> ReportJob:
    values: dict[str, object] = {
        "format": "pdf",
        "language": "fr",
        "date_from": datetime.date(2024, 1, 1),
        "date_to": datetime.date(2025, 12, 31),
    }
    return ReportJob.objects.create(plan=plan, user=user, **(values | fields))


def test_a_member_asks_for_a_pdf_and_downloads_it_when_ready(
    member_client: Client, seed: Plan, member: User
) -> None:
    location = ask(member_client, seed, "pdf")
    assert location == reverse("reports:page", args=[seed.slug]) + "#report-jobs"
    job = ReportJob.objects.get()
    assert (job.state, job.progress, job.user, job.format) == (JobState.DONE, 100, member, "pdf")
    assert job.finished_at is not None
    page = member_client.get(location).content.decode()
    download = reverse("reports:download", args=[seed.slug, job.pk])
    assert download in page and "Martin" in page
    response = member_client.get(download)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert body.startswith(b"%PDF")
    name = f"bilan-{seed.slug}-2024-01-01-2025-12-31-fr.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'


def test_a_docx_job_gives_a_word_file(member_client: Client, seed: Plan) -> None:
    ask(member_client, seed, "docx")
    job = ReportJob.objects.get()
    assert job.state == JobState.DONE
    response = member_client.get(reverse("reports:download", args=[seed.slug, job.pk]))
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert response["Content-Disposition"].endswith('-fr.docx"')


def test_a_file_left_by_an_earlier_database_does_not_rename_the_report(
    member_client: Client, seed: Plan, media: Path
) -> None:
    job = a_job(seed)  # the next job takes the key after this one
    leftover = media / "reports" / str(seed.pk) / str(job.pk + 1)
    leftover.mkdir(parents=True)
    name = f"bilan-{seed.slug}-2024-01-01-2025-12-31-fr.docx"
    (leftover / name).write_bytes(b"old")
    ask(member_client, seed, "docx")
    assert ReportJob.objects.newest_first().first().file_name == name


def test_asking_for_html_still_shows_the_report_at_its_own_address(member_client: Client, seed: Plan) -> None:
    location = ask(member_client, seed, "html")
    assert "format=html" in location and "date_from=2024-01-01" in location
    assert "report-inline" in member_client.get(location).content.decode()
    assert not ReportJob.objects.exists()


def test_a_layout_that_fails_marks_the_job_failed_with_its_reason_and_no_error_page(
    member_client: Client, seed: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(report: object) -> bytes:
        raise RuntimeError("Pango is missing")

    monkeypatch.setattr("jalon.reports.render_pdf.render_pdf", broken)
    location = ask(member_client, seed, "pdf")
    job = ReportJob.objects.get()
    assert job.state == JobState.FAILED
    assert "Pango is missing" in job.error and not job.file
    page = member_client.get(location)
    assert page.status_code == 200
    assert "Pango is missing" in page.content.decode()
    assert member_client.get(reverse("reports:download", args=[seed.slug, job.pk])).status_code == 404


def test_an_anonymous_visitor_can_neither_ask_nor_download(client: Client, seed: Plan) -> None:
    job = a_job(seed, state=JobState.DONE)
    job.file.save("bilan.pdf", ContentFile(b"%PDF-1.7"))
    for response in (
        client.post(reverse("reports:page", args=[seed.slug]), {**ASKED, "format": "pdf"}),
        client.get(reverse("reports:download", args=[seed.slug, job.pk])),
        client.get(reverse("reports:jobs", args=[seed.slug])),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert ReportJob.objects.count() == 1


def test_a_job_of_another_plan_is_not_found_under_this_plans_address(
    member_client: Client, seed: Plan
) -> None:
    other = import_seed(slug="autre-plan")
    job = a_job(other, state=JobState.DONE)
    job.file.save("bilan.pdf", ContentFile(b"%PDF-1.7"))
    assert member_client.get(reverse("reports:download", args=[seed.slug, job.pk])).status_code == 404
    assert member_client.get(reverse("reports:download", args=[other.slug, job.pk])).status_code == 200
    assert (
        reverse("reports:download", args=[other.slug, job.pk])
        not in member_client.get(reverse("reports:page", args=[seed.slug])).content.decode()
    )


def test_the_list_refreshes_itself_while_a_job_runs_and_stops_when_none_does(
    member_client: Client, seed: Plan, member: User
) -> None:
    job = a_job(seed, member, state=JobState.RUNNING, progress=40, step="indicateurs")
    partial = member_client.get(reverse("reports:jobs", args=[seed.slug]), headers={"HX-Request": "true"})
    text = partial.content.decode()
    assert partial.status_code == 200 and "<html" not in text
    assert 'hx-trigger="every 2s"' in text
    assert 'value="40"' in text and "40 %" in text and "indicateurs" in text
    page = member_client.get(reverse("reports:page", args=[seed.slug])).content.decode()
    assert 'aria-live="polite"' in page and 'hx-get="' in page
    assert "report-jobs__refresh" in page  # the plain link, for a browser without JavaScript
    ReportJob.objects.filter(pk=job.pk).update(state=JobState.DONE, progress=100)
    text = member_client.get(reverse("reports:jobs", args=[seed.slug])).content.decode()
    assert "hx-trigger" not in text and "report-jobs__refresh" not in text


def test_a_job_whose_worker_went_silent_shows_as_interrupted_and_is_still_watched(
    member_client: Client, seed: Plan, member: User, settings
) -> None:
    member_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    silent = timezone.now() - datetime.timedelta(minutes=2)
    stale = a_job(seed, member, state=JobState.RUNNING, attempts=1, heartbeat_at=silent)
    assert stale.is_interrupted() and stale.is_active()
    text = member_client.get(reverse("reports:jobs", args=[seed.slug])).content.decode()
    assert "report-job--interrupted" in text and "It will be tried again within a minute" in text
    assert 'hx-trigger="every 2s"' in text


def test_a_job_whose_worker_is_alive_is_not_interrupted(seed: Plan) -> None:
    alive = a_job(seed, state=JobState.RUNNING, attempts=1, heartbeat_at=timezone.now())
    assert not alive.is_interrupted()
    assert report_jobs_recover() == 0


def test_a_job_lost_by_its_worker_is_queued_again_and_prepared(seed: Plan) -> None:
    silent = timezone.now() - datetime.timedelta(minutes=2)
    lost = a_job(seed, state=JobState.RUNNING, attempts=1, heartbeat_at=silent, format="docx")
    assert report_jobs_recover() == 1
    lost.refresh_from_db()
    # The test's queue runs a task at once: the second attempt has already succeeded.
    assert (lost.state, lost.attempts, lost.progress) == (JobState.DONE, 2, 100)
    assert lost.task_id and lost.file


def test_a_job_lost_twice_fails_with_a_reason_instead_of_waiting_forever(seed: Plan) -> None:
    silent = timezone.now() - datetime.timedelta(minutes=2)
    lost = a_job(seed, state=JobState.RUNNING, attempts=2, heartbeat_at=silent, language="en")
    report_jobs_recover()
    lost.refresh_from_db()
    assert lost.state == JobState.FAILED and lost.finished_at is not None
    assert lost.error == "The worker preparing this report stopped 2 times; ask for it again."


def test_a_task_delivered_again_for_a_finished_job_does_nothing(seed: Plan) -> None:
    done = a_job(seed, state=JobState.DONE, progress=100)
    jobs.report_job_run(done.pk)
    done.refresh_from_db()
    assert (done.state, done.attempts) == (JobState.DONE, 0)


def test_progress_is_written_at_most_twice_a_second(seed: Plan) -> None:
    job = a_job(seed, state=JobState.RUNNING)
    now = [100.0]
    recorder = ProgressRecorder(job.pk, total=4, clock=lambda: now[0])
    recorder.step("summary")
    job.refresh_from_db()
    assert (job.progress, job.step) == (25, "summary")
    now[0] += 0.1
    recorder.step("items")
    job.refresh_from_db()
    assert (job.progress, job.step) == (25, "summary")
    now[0] += 0.5
    recorder.step("updates")
    recorder.step("written")
    job.refresh_from_db()
    assert (job.progress, job.step) == (75, "updates")
    now[0] += 1
    recorder.step("done")
    job.refresh_from_db()
    assert job.progress == 99  # 100 % waits for the stored file


def test_starting_a_job_deletes_the_files_of_the_plans_jobs_older_than_a_week(
    seed: Plan, media: Path
) -> None:
    old = a_job(seed, state=JobState.DONE, created_at=timezone.now() - datetime.timedelta(days=8))
    old.file.save("old.pdf", ContentFile(b"%PDF old"))
    recent = a_job(seed, state=JobState.DONE, created_at=timezone.now() - datetime.timedelta(days=2))
    recent.file.save("recent.pdf", ContentFile(b"%PDF recent"))
    old_path = Path(old.file.path)
    report_job_start(
        plan=seed,
        user=None,
        format="docx",
        language="en",
        date_from=datetime.date(2024, 1, 1),
        date_to=datetime.date(2024, 12, 31),
    )
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old.file and not old_path.exists()
    assert recent.file and Path(recent.file.path).exists()
    assert report_files_prune(plan=seed) == 0


@pytest.mark.django_db(transaction=True)
def test_a_job_waits_in_the_queue_until_a_worker_prepares_it(
    member_client: Client, seed: Plan, settings
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ask(member_client, seed, "docx")
    job = ReportJob.objects.get()
    assert job.state == JobState.QUEUED and job.task_id
    page = member_client.get(reverse("reports:jobs", args=[seed.slug])).content.decode()
    assert 'hx-trigger="every 2s"' in page
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)
    job.refresh_from_db()
    assert (job.state, job.progress, job.attempts) == (JobState.DONE, 100, 1)
    assert job.worker and Path(job.file.path).read_bytes().startswith(b"PK")


@pytest.mark.django_db(transaction=True)
def test_a_backup_leaves_report_files_out_and_restores(seed: Plan, media: Path, tmp_path: Path) -> None:
    job = a_job(seed, state=JobState.DONE)
    job.file.save("bilan.pdf", ContentFile(b"%PDF-1.7"))
    backup = tmp_path / "jalon.zip"
    backup_write(path=backup)
    with zipfile.ZipFile(backup) as archive:
        assert not [name for name in archive.namelist() if "reports/" in name]
    call_command("flush", interactive=False, verbosity=0)
    backup_restore(path=backup)
    assert Plan.objects.filter(slug=seed.slug).exists()
    assert not ReportJob.objects.exists()
