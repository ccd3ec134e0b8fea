from pathlib import Path

import pytest

from edu_metrics import load_rules

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def rules():
    return load_rules()
