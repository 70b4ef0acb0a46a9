"""Data kept outside the repository (Moodle's GIFT files): found through one setting, skipped or failed when absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SETTING = "LMS_EXTERNAL_FIXTURES"


def external_fixtures_dir() -> Path:
    """The folder named by LMS_EXTERNAL_FIXTURES, else ../shared/fixtures beside the repository."""
    return Path(os.environ.get(SETTING) or REPO.parent / "shared" / "fixtures")


def external_fixture(*parts: str) -> Path:
    """The path of an external fixture; skips the test when it is missing, or fails it when CI is set."""
    path = external_fixtures_dir().joinpath(*parts)
    if path.exists():
        return path
    message = (f"external fixture {path} is missing: set {SETTING} to the folder that holds it "
               f"(default: ../shared/fixtures beside the repository)")
    if os.environ.get("CI"):
        pytest.fail(message + "; CI is set, so its absence fails the run")
    pytest.skip(message)
