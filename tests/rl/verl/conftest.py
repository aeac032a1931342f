"""Fixtures of the verl integration tests: skipped as a whole where verl is not installed (``pip install
'healthgym[verl]'``); the tokenizer and model of ``tests/rl/conftest.py`` are shared."""

from __future__ import annotations

import pytest

pytest.importorskip("verl", reason="the verl integration needs verl: pip install 'healthgym[verl]'")
pytest.importorskip("transfer_queue", reason="verl's v1 trainer needs TransferQueue: pip install 'healthgym[verl]'")
