"""The datasource on disk: walking both roots, the index of samples, navigation,
leaf statistics, the demo.

May import core.format, core.schema and core.video.
"""
