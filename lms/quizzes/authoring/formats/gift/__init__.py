"""Moodle's GIFT format: reading, writing, and the HTML-to-text step between them."""
