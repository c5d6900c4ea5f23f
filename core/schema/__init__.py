"""schema.json: its entries as immutable data, compiled field specs, edit operations, and its lint.

May import core.format only.
"""
