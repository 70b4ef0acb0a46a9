"""Who owns a bank or test made on the web (one organising body) and who may see it; content/ ones are shared.

A bank or test made on the web belongs to the organising body of the staff member who made it; its staff
(organisers and trainers) see, edit, import into and export it, and nobody of another body sees it or its
keys (they get 404, as for anything that does not exist). Banks and tests from content/ are the shared
course material: every staff member sees them, nobody edits them on the web. An administrator sees
everything; what an administrator makes belongs to no body and is theirs alone. A test from content/
draws from its course's content banks; a web test, from those and from the web banks of its own body.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, true

from lms.auth.models import Role, User
from lms.errors import NotFound
from lms.quizzes.models import QuestionBank, Quiz


def owner_body_id(actor: User) -> int | None:
    """The body a new web bank or test of this staff member belongs to (None for an administrator)."""
    return None if actor.role == Role.ADMIN else actor.organising_body_id


def may_see(actor: User, item: QuestionBank | Quiz) -> bool:
    if actor.role == Role.ADMIN or item.from_content:
        return True
    return actor.organising_body_id is not None and item.organising_body_id == actor.organising_body_id


def require_visible(actor: User, item: QuestionBank | Quiz | None) -> QuestionBank | Quiz:
    """The item, or 404 when it does not exist or belongs to another body."""
    if item is None or not may_see(actor, item):
        raise NotFound()
    return item


def visible_to(actor: User, model: type[QuestionBank] | type[Quiz]) -> ColumnElement[bool]:
    """A WHERE clause keeping the banks or tests the actor may see."""
    if actor.role == Role.ADMIN:
        return true()
    return or_(model.from_content, model.organising_body_id == actor.organising_body_id)


def drawable_banks(course_id: int, body_id: int | None, *, content_only: bool) -> ColumnElement[bool]:
    """A WHERE clause keeping the banks a test draws from (see the module's docstring)."""
    of_course = QuestionBank.course_id == course_id
    if content_only:
        return of_course & QuestionBank.from_content
    own = QuestionBank.organising_body_id.is_(None) if body_id is None else QuestionBank.organising_body_id == body_id
    return of_course & or_(QuestionBank.from_content, own)


def banks_of_test(quiz: Quiz) -> ColumnElement[bool]:
    return drawable_banks(quiz.course_id, quiz.organising_body_id, content_only=quiz.from_content)


def can_draw(quiz: Quiz, bank: QuestionBank) -> bool:
    """The same rule in Python, for one test and one bank."""
    if quiz.course_id != bank.course_id:
        return False
    if bank.from_content:
        return True
    return not quiz.from_content and bank.organising_body_id == quiz.organising_body_id
