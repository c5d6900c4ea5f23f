"""The Schema tab: edit schema.json in a table (see panel.SchemaPanel)."""

from .panel import SchemaPanel
from .schema_table_model import SchemaTableModel

__all__ = ["SchemaPanel", "SchemaTableModel"]
