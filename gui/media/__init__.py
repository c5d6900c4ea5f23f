"""The preview and the video timeline: decoded images and frames, frame ranges applied or cleared.

A feature: may import gui.editors, gui.common and core, never another feature.
"""
