"""The file format itself: naming rules, key paths, strict JSON and its limits, value types, metadata files,
findings.

The bottom layer of core: imports nothing else from core.
"""
