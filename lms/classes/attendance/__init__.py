"""Attendance per session and trainee: Zoom minutes, roll-call confirmations, trainer marks and the class rule."""
