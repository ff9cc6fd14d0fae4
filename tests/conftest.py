from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "demo" / "plan-action-2024-2025.txt"
EXAMPLES = REPO / "tests" / "files"


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture(autouse=True)
def french_at_the_start() -> None:
    # A request in English leaves English active in the thread; every test starts in
    # French, the language of the project, whatever ran before it.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
