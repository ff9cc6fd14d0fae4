"""What the browser tests share: Debian's chromium driven by Playwright, a visit that keeps
to the test server, and the seed plan with the demo accounts to sign in with. Loaded as a
plugin by conftest.py, so that every browser test file has these fixtures.

Chromium must be installed (scripts/ensure-system-packages does it): without it these
tests fail rather than skip, so that CI cannot pass without having run them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Route, sync_playwright

from jalon.accounts.services import demo_accounts_create
from jalon.plans.models import Plan

from .factories import import_seed

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_VIOLATIONS = "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
PHONE = {"width": 390, "height": 844}
PASSWORD = "mot-de-passe-des-tests"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), (
        f"{CHROMIUM} is missing: apt-get install chromium (scripts/ensure-system-packages)"
    )
    # Playwright's sync API keeps an event loop running in this thread; Django refuses
    # database calls while one runs unless told that this test process knows what it does.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def seed_plan(transactional_db: None) -> Plan:
    return import_seed()


class Visit:
    """A browser context that refuses any request to another host than the test server
    and remembers the script errors, both checked when the test ends."""

    def __init__(self, browser: Browser, base_url: str, **options: object) -> None:
        self.base_url = base_url
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.context: BrowserContext = browser.new_context(locale="fr-CA", **options)  # type: ignore[arg-type]
        self.context.route("**/*", self._only_the_test_server)
        self.page: Page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", self._remember_console_error)

    def _remember_console_error(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _only_the_test_server(self, route: Route) -> None:
        if urlsplit(route.request.url).netloc == urlsplit(self.base_url).netloc:
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def open(self, path: str) -> Page:
        self.page.goto(self.base_url + path)
        return self.page

    def sign_in(self, username: str = "coordination", password: str = PASSWORD) -> Page:
        """Sign in through the real login form: the whole site is behind it."""
        page = self.open(reverse("accounts:login"))
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert reverse("accounts:login") not in page.url, f"{username} could not sign in"
        return page

    def close(self) -> None:
        self.context.close()
        assert not self.outside, f"requests left the test server: {self.outside}"
        assert not self.errors, f"script errors: {self.errors}"


@pytest.fixture
def accounts(transactional_db: None) -> None:
    """The four demo accounts (admin, coordination, responsable, membre), all with PASSWORD."""
    demo_accounts_create(PASSWORD)


@pytest.fixture
def visit(browser: Browser, live_server: object, seed_plan: Plan) -> Iterator[Visit]:
    demo_accounts_create(PASSWORD)
    visit = Visit(browser, str(live_server))
    visit.sign_in()
    yield visit
    visit.close()


@pytest.fixture
def phone(browser: Browser, live_server: object, seed_plan: Plan) -> Iterator[Visit]:
    demo_accounts_create(PASSWORD)
    visit = Visit(browser, str(live_server), viewport=PHONE, is_mobile=True, has_touch=True)
    visit.sign_in()
    yield visit
    visit.close()
