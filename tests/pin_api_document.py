"""Write the API document as published today over the pinned copy (a deliberate change)."""

import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalon.settings")
django.setup()

from django.test import Client  # noqa: E402

from tests.paths import EXAMPLES  # noqa: E402

document = Client(HTTP_HOST="localhost").get("/api/v1/openapi.json").json()
text = json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False)
(EXAMPLES / "openapi-v1.json").write_text(text + "\n", encoding="utf-8")
