"""Map the top-level folders into the ``healthgym`` namespace.

The folders keep the design's layout (``schemas/``, ``mcp_servers/``, ``agents/``, ``rl/``) while the import names stay
namespaced (``healthgym.schemas`` ...), since ``agents``, ``rl`` and ``schemas`` are taken on PyPI. Every subpackage is
discovered here so that a folder added later cannot be left out of the wheel.
"""

from setuptools import find_packages, setup

ROOTS = {"healthgym": "healthgym", "schemas": "schemas", "mcp_servers": "mcp_servers", "agents": "agents", "rl": "rl"}


def _packages() -> tuple[list[str], dict[str, str]]:
    packages: list[str] = []
    package_dir: dict[str, str] = {}
    for name, folder in ROOTS.items():
        full = "healthgym" if name == "healthgym" else f"healthgym.{name}"
        package_dir[full] = folder
        packages.append(full)
        packages += [f"{full}.{sub}" for sub in find_packages(folder)]
    return packages, package_dir


packages, package_dir = _packages()
setup(
    packages=packages,
    package_dir=package_dir,
    package_data={
        "": ["*.json", "*.jsonl", "*.md", "*.sha256", "*.yaml", "*.txt"],
        "healthgym.rl.verl": ["config/*.yaml", "*.sh"],  # Hydra configs beside the verl integration, its GPU smoke
    },
    include_package_data=True,
)
