"""Edit ▸ Settings…: the editor's preferences (the bucket cache folder and its cap, network
timeouts and tries), remembered in gui.common.settings and applied to core.storage.

A feature: may import gui.common and core, never another feature.
"""
