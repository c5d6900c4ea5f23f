"""Field editors by value type (a registry), their shared protocol, and the form's colours and fonts.

Used by the form and by the frame-range dialog; may import gui.common and core.
"""
