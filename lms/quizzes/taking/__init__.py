"""What happens while a trainee sits a test: the draw, the attempt rules, grading, the API and pages."""
