"""The editor window: the application, MainWindow composing the panels, menus, status bar, dialogs.

The top layer: may import everything in gui and core.
"""
