"""A built wheel (not the editable install) holds and imports every module, under the healthgym namespace."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OPTIONAL = {"verl"}
"""Extras not installed by the test command; a module may fail to import only for lack of these."""

IMPORT_ALL = """
import importlib, sys
target, names = sys.argv[1], sys.argv[2:]
import healthgym
assert healthgym.__file__.startswith(target), healthgym.__file__
failed = []
for name in names:
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as err:
        if err.name.split(".")[0] not in {optional}:
            failed.append(f"{{name}}: {{err}}")
    except Exception as err:
        failed.append(f"{{name}}: {{err!r}}")
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""


def test_wheel_imports_every_module(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path),
         str(ROOT)],
        check=True, capture_output=True,
    )
    wheel = next(tmp_path.glob("healthgym-*.whl"))
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(target)
        files = zf.namelist()
    modules = sorted(
        name[:-3].replace("/", ".").removesuffix(".__init__") for name in files if name.endswith(".py")
    )
    assert "healthgym.schemas" in modules and "healthgym.mcp_servers.server" in modules
    assert any(name.endswith("test_split.sha256") for name in files), "package data missing from the wheel"
    source_modules = {
        p for p in ROOT.glob("*/**/*.py")
        if p.parts[len(ROOT.parts)] in {"schemas", "mcp_servers", "agents", "rl", "healthgym"}
    }
    assert len(modules) == len(source_modules), "a source module is missing from the wheel"
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL.format(optional=OPTIONAL), str(target), *modules],
        capture_output=True, text=True, env=env, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
