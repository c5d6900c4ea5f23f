"""The format and the dataset, without Qt: plain data and functions, tested without a display.

Layers, top first (checked by the import contracts in pyproject.toml): csv_io; validation,
effective, workspace, copy_values; dataset; video, schema; format. Nothing here imports gui or PySide6.
"""
