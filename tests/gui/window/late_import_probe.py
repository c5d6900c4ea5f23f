"""Imported once, with `from ... import`, by test_settled.py: PySide6's import hook then reads
this module's source (into linecache) to look for `from __feature__ import`."""

PROBE = True
