"""The computational core never imports Django (also enforced by import-linter in lint)."""

from __future__ import annotations

import subprocess
import sys


def test_core_imports_without_django_installed_in_sys_modules():
    code = (
        "import sys, pkgutil, importlib, u4ssc.core as c\n"
        "for m in pkgutil.walk_packages(c.__path__, 'u4ssc.core.'):\n"
        "    if '.tests' in m.name: continue\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(k for k in sys.modules if k == 'django' or k.startswith('django.'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
