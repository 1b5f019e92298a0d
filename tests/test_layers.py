"""The layers hold: services <- agreements <- reporting, and the project shell uses no app above
the foundation but in its URL configuration (the contracts are in pyproject.toml; ``make lint``
runs them too)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_are_kept():
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(linter), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_no_module_is_called_services_inside_the_services_app():
    assert not (ROOT / "services" / "services.py").exists()
