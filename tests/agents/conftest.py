import sys
from pathlib import Path

import pytest
from pydantic_ai import models

from healthgym.agents.connections import Connection
from tests.framework.conftest import tiny_domain  # noqa: F401  (the fixture)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def no_model_requests(monkeypatch):
    """No test may reach a real model."""
    monkeypatch.setattr(models, "ALLOW_MODEL_REQUESTS", False)


def tiny_stdio() -> Connection:
    """The tiny domain served over stdio by a subprocess that registers it."""
    return Connection(
        "tiny", "stdio", command=(sys.executable, "-m", "tests.agents.tiny_stdio"), env={"PYTHONPATH": str(ROOT)}
    )
