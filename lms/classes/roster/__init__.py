"""Class rosters: importing trainees from a spreadsheet, login slips, join codes, withdrawing, moving, merging."""
