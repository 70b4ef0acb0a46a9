"""Question banks and test definitions in the web interface: editor, import with preview, export."""

from flask import Blueprint

bp = Blueprint("quizzes_banks", __name__, template_folder="templates")
