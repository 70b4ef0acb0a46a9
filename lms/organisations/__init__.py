"""Organising bodies and the unit tree of agencies, former units included."""
