from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "demo" / "plan-action-2024-2025.txt"
EXAMPLES = REPO / "tests" / "files"


@pytest.fixture
def seed_path() -> Path:
    return SEED
