"""platform/ holds the Django project but must never shadow the stdlib module of that name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_stdlib_platform_module_is_reachable_in_tests() -> None:
    import platform

    assert callable(platform.system)
    assert platform.system()
    assert not (ROOT / "platform" / "__init__.py").exists()


def test_stdlib_platform_module_is_reachable_next_to_django() -> None:
    code = (
        "import sys; sys.path[:0] = ['.', 'platform']; import os; "
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; import django; django.setup(); "
        "import platform; print(platform.system(), platform.python_version())"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split()[0] in {"Linux", "Darwin", "Windows"}
