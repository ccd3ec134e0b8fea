import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

from edu_metrics import load_rules

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# The labelled dev set lies beside the repository, in every checkout and in CI.
DEV_DOCS = ROOT.parent / "shared" / "gold" / "dev" / "docs"
# The prefilter's compiled database is cached per test run, never in the user's cache.
os.environ["EDU_METRICS_CACHE"] = tempfile.mkdtemp(prefix="edu-metrics-cache-")


@pytest.fixture(scope="session")
def rules():
    return load_rules()


# Property tests: a short run in `make test`; `make fuzz` selects the long profile.
settings.register_profile("default", max_examples=60, deadline=None)
settings.register_profile("fuzz", max_examples=3000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
