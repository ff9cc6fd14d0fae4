"""The settings of the test run: Jalon's own, read as the local demo reads them
(JALON_DEBUG=1), with each task run at once inside the test that enqueues it, and pages
always rendered by their views: the page cache is tested on its own (test_page_cache.py),
and the other tests count the queries their views make."""

import os

os.environ.setdefault("JALON_DEBUG", "1")
os.environ.setdefault("JALON_TASKS", "immediate")
os.environ.setdefault("JALON_PAGE_CACHE_SECONDS", "0")

from jalon.settings import *  # noqa: E402,F403
