"""The actions the audit log records, with their labels in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "user.create": _l("Account created"),
    "user.edit": _l("Account changed"),
    "user.role_change": _l("Role changed"),
    "user.password_reset": _l("Password reset"),
    "body.create": _l("Organising body created"),
    "unit.create": _l("Work unit created"),
    "class.create": _l("Class created"),
    "class.edit": _l("Class changed"),
    "class.copy": _l("Class copied"),
    "class.archive": _l("Class archived"),
    "question.create": _l("Question added"),
    "question.edit": _l("Question or answer key changed"),
    "question.retire": _l("Question retired"),
    "question.restore": _l("Question restored"),
    "bank.import": _l("Questions imported"),
    "quiz.save": _l("Test settings saved"),
    "quiz.window_open": _l("Test opened for a class"),
    "quiz.window_close": _l("Test window closed"),
    "quiz.override": _l("Extra time or attempts given"),
    "quiz.keys_release": _l("Answer keys released"),
    "quiz.regrade": _l("Test regraded"),
}


def action_label(action: str) -> str:
    """The label of a recorded action; an action recorded by another package shows as its code."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action
