"""Timed tests, in three rooms: authoring/ (banks, tests), taking/ (attempts), results/ (staff views)."""
