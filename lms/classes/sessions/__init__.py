"""Class sessions: the dated meetings of a class, each with its link and Zoom meeting id."""
