"""Import CSV: the dry-run report, then one undoable step that writes.

A feature: may import gui.editors, gui.common and core, never another feature.
"""
