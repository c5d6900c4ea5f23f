"""The open datasource over time: loading it in the background, saving, leaving a file, its findings.

Above the features (leaving a file copies values through the form); may import them, gui.common and core.
"""
