"""Courses loaded from content/: outlines, lessons and self-checks."""
