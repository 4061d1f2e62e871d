"""edition: print-ready typesetting for critical and documentary editions."""

__version__ = "0.1.0"
