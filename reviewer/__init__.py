"""reviewer: fine-grained error review and benchmark cleaning."""

__version__ = "0.1.0"
