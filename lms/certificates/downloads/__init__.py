"""Certificate downloads: the holder's own page and PDFs, staff PDFs of one certificate or a whole class."""
