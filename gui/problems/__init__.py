"""The Problems dock: every finding grouped by file, filters, and the undoable fixes.

A feature: may import gui.editors, gui.common and core, never another feature.
"""
