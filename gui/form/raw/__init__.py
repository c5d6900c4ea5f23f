"""The form's JSON boxes: keys the schema does not name, the file as Save writes
it, repairing broken files.
"""
