"""Vietnamese translations of strings added while checking the merged pages (crawl and screenshots)."""

VI = {
    "session of %(day)s": "buổi học ngày %(day)s",
}
