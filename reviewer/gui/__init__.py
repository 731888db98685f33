"""The PySide6 window: a thin layer over the core and the store. Only this package imports Qt."""
