"""The quizzes fixtures (a test, its trainees, the injected clock) for the sweeper's tests."""

from tests.quizzes.conftest import clock, ex, exam  # noqa: F401
