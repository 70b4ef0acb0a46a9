"""Imports every feature's models so the mappers and Alembic see the whole schema."""

from lms.audit import models as audit_models  # noqa: F401
from lms.auth import models as auth_models  # noqa: F401
from lms.certificates import models as certificates_models  # noqa: F401
from lms.classes import models as classes_models  # noqa: F401
from lms.classes.attendance import models as attendance_models  # noqa: F401
from lms.classes.room import models as room_models  # noqa: F401
from lms.classes.roster import models as roster_models  # noqa: F401
from lms.classes.sessions import models as class_sessions_models  # noqa: F401
from lms.courses import models as courses_models  # noqa: F401
from lms.organisations import models as organisations_models  # noqa: F401
from lms.quizzes import models as quizzes_models  # noqa: F401
from lms.sweeper import models as sweeper_models  # noqa: F401
from lms.zoom import models as zoom_models  # noqa: F401
