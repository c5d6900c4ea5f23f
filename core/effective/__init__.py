"""Effective values: what Lightly uses per entry and sample, and the whole dataset as numpy columns.

May import core.dataset, core.schema and core.format.
"""
