"""Trainer and organiser pages of tests: opening a test for a class, results, attempts, regrade, statistics."""

from flask import Blueprint

bp = Blueprint("quizzes_staff", __name__, template_folder="templates")
