"""Without verl, importing the integration fails with the extra to install (this test runs without verl too)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("missing", ["verl", "transfer_queue"])
def test_missing_dependency_names_the_extra(missing):
    code = f"import sys; sys.modules[{missing!r}] = None; import healthgym.rl.verl"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "pip install 'healthgym[verl]'" in result.stderr and f"{missing} is not installed" in result.stderr
