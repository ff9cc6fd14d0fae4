"""The report as PDF: WeasyPrint lays out the HTML report with its print stylesheet.

WeasyPrint would fetch any address the document names (stylesheets, images, fonts). The
report must never reach the network, nor read a file on the disk that a plan's text
could name: our fetcher serves our own static files from disk and refuses anything else."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .model import Report
from .render_html import render_html

# A made-up origin (.invalid never resolves) for the document's relative addresses.
BASE_URL = "https://jalon.invalid/"
STATIC_PREFIX = "/static/"
TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".woff2": "font/woff2"}


class StaticOnlyFetcher(URLFetcher):
    """Serve files under /static/ of BASE_URL from the static folders; refuse the rest."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(STATIC_PREFIX):
            raise ValueError(f"The report fetches nothing but its own static files, not {url}")
        relative = parts.path.removeprefix(STATIC_PREFIX)
        if ".." in relative.split("/"):
            raise ValueError(f"Not a static file: {url}")
        path = finders.find(relative)
        if not path or isinstance(path, list):
            raise ValueError(f"No such static file: {url}")
        suffix = "." + relative.rsplit(".", 1)[-1] if "." in relative else ""
        with open(path, "rb") as file:
            body = file.read()
        return URLFetcherResponse(url, body, {"Content-Type": TYPES.get(suffix, "application/octet-stream")})


def render_pdf(report: Report) -> bytes:
    html = render_html(report, static_url=f"{BASE_URL}static/")
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher())
    pdf: bytes = document.write_pdf()
    return pdf
