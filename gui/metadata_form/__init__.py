"""The metadata form (centre of the editor window): `MetadataForm` and its field editors."""

from .editors import EDITORS, create_editor
from .form import MetadataForm

__all__ = ["EDITORS", "MetadataForm", "create_editor"]
