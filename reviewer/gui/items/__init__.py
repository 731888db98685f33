"""The item list in Qt: thin adapters over ``reviewer.core.item_list``, and the dock widget."""
