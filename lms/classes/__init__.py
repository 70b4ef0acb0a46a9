"""Classes: a course run for a group of trainees, with its trainers and enrolments."""
