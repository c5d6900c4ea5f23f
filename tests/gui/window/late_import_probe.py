"""Read into linecache by test_settled.py, as PySide6's import hook reads a module's source."""

PROBE = True
