"""Class management: creating, editing, copying and archiving classes, and the searchable class list."""
