"""The settings of the test run: Jalon's own, read as the local demo reads them
(JALON_DEBUG=1), with each task run at once inside the test that enqueues it."""

import os

os.environ.setdefault("JALON_DEBUG", "1")
os.environ.setdefault("JALON_TASKS", "immediate")

from jalon.settings import *  # noqa: E402,F403
