"""CSV in and out: exporting effective values, and planning, reporting and applying a CSV import.

The top layer of core: may import every other core package and core.workspace.
"""
