"""The project database (SQLite through sqlite-utils). Only this package opens SQLite."""
