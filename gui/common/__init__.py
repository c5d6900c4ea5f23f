"""What every gui package shares: background workers, icons, undo commands, settings, signals.

The bottom layer of gui: imports core only.
"""
