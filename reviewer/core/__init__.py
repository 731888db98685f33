"""Pure-Python core: no Qt, no SQLite. Items, tokenizers, alignment, categories, metrics."""
