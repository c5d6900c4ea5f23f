"""The dataset table: every sample's effective values, sortable and filterable (issue 4)."""

from gui.dataset_table.panel import DatasetPanel

__all__ = ["DatasetPanel"]
