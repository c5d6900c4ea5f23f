"""Videos with PyAV: decoded frame counts (cached), packet scans, and frames for previews.

May import core.format only.
"""
