"""paperread: a keyboard-first terminal reader for research papers."""

__version__ = "0.1.0"
