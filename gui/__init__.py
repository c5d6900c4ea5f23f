"""Qt adapters over core: item models, panels, undo commands and background workers.

Layers, top first (checked by the import contracts in pyproject.toml): window; session; the features
(file_tree, form, schema, dataset, media, problems, csv_import), which never import each other;
editors; common. Every layer may import core.
"""
