"""The Schema tab: schema.json as an editable table with lint, fixes and "Propose from data".

A feature: may import gui.editors, gui.common and core, never another feature.
"""
