"""dockertui: a keyboard-first terminal dashboard for Docker."""

__version__ = "0.1.0"
