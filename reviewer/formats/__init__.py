"""File formats: one reader per format, found through :mod:`reviewer.formats.registry`."""
