"""Former units are marked in the interface's language in unit lists."""

from __future__ import annotations

from datetime import date

from lms.auth.models import Role
from tests.conftest import login
from tests.factories import make_unit, make_user


def test_former_units_are_marked_in_vietnamese(client, db_session):
    make_unit(db_session, name="Huyện Củ Chi", kind="district", valid_to=date(2025, 7, 1))
    admin = make_user(db_session, Role.ADMIN, username="qt.donvi")
    db_session.commit()
    login(client, admin.username)
    html = client.get("/people/new").get_data(as_text=True)
    assert "Huyện Củ Chi (cũ)" in html and "(former)" not in html
