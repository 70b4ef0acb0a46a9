"""The in-app sweeper: closes overdue test attempts from a background thread, one closer across all workers."""
