"""Which classes and certificates a staff member reaches (404 for another body's), and who may change them."""

from __future__ import annotations

from sqlalchemy.orm import Session

from lms.auth.models import Role, User
from lms.certificates.models import Certificate
from lms.classes.models import TrainingClass
from lms.classes.services import get_class
from lms.errors import NotFound

MANAGERS = (Role.ADMIN, Role.ORGANISER)
STAFF = (Role.ADMIN, Role.ORGANISER, Role.TRAINER)


def may_manage(actor: User) -> bool:
    """Organisers (of the class's body, checked by the lookup) and administrators issue and revoke; trainers read."""
    return actor.role in MANAGERS


def class_for_staff(session: Session, actor: User, class_id: int) -> TrainingClass:
    """The class if the actor sees it: admin any, organiser their body's, trainer their own; 404 otherwise."""
    return get_class(session, actor, class_id)


def certificate_for_staff(session: Session, actor: User, certificate_id: int) -> Certificate:
    """A certificate of a class the actor sees (404 for another body's or an unknown one)."""
    certificate = session.get(Certificate, certificate_id)
    if certificate is None:
        raise NotFound()
    class_for_staff(session, actor, certificate.class_id)
    return certificate
