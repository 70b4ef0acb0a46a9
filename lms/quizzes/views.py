"""Trainee pages of tests: my tests, the test-taking page, the result page."""

from flask import Blueprint

bp = Blueprint("quizzes", __name__, template_folder="templates")
