"""The Files panel: the lazy media tree with state badges, and its name filter.

A feature: may import gui.editors, gui.common and core, never another feature.
"""
