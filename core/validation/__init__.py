"""Validating a datasource into findings, and the one-step fixes for them.

May import core.dataset, core.schema, core.video and core.format.
"""
