"""The item list: a thin table model over bulk reads, a filtering proxy and the dock widget."""
