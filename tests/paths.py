"""Where the tests find the repository, Alternatives' plan (the seed) and the example files."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "demo" / "plan-action-2024-2025.txt"
EXAMPLES = REPO / "tests" / "files"
