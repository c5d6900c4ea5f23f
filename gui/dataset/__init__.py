"""The Dataset tab and Distribution dock: every sample's effective values, sorted, filtered and charted.

A feature: may import gui.editors, gui.common and core, never another feature.
"""
