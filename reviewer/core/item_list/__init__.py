"""The item list without Qt: its columns, cell values, sort order, filters and review queue.

The GUI's table model and filtering proxy are thin adapters over these modules.
"""
