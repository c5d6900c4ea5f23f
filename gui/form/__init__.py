"""The metadata form: one editor per schema field for the selected file(s), bulk edits, fast entry.

A feature: may import gui.editors, gui.common and core, never another feature.
"""
