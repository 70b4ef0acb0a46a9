"""The class page's management links (sessions, attendance sheet and rule, certificates and their settings): shown
to those who may use them, each leading to a page they may open; a trainee sees none of them."""

from __future__ import annotations

import re

import pytest

from tests.classes.management.test_views import world  # noqa: F401 (fixture)
from tests.conftest import login

MANAGER_LINKS = ["/classes/{id}/sessions", "/classes/{id}/attendance", "/classes/{id}/certificates",
                 "/bodies/{body}/certificate-settings"]
TRAINER_LINKS = ["/classes/{id}/sessions", "/classes/{id}/attendance", "/classes/{id}/certificates"]


def _links(html: str) -> set[str]:
    block = html.split('class="actions class-management"')[1].split("</div>")[0].split("</p>")[0]
    return set(re.findall(r'href="([^"]+)"', block))


@pytest.mark.parametrize(("role", "expected"), [("organiser", MANAGER_LINKS), ("admin", MANAGER_LINKS),
                                                ("trainer", TRAINER_LINKS)])
def test_staff_see_the_links_they_may_use(client, world, role, expected):  # noqa: F811
    training_class = world["class"]
    login(client, world["users"][role].username)
    html = client.get(f"/classes/{training_class.id}").get_data(as_text=True)
    wanted = {p.format(id=training_class.id, body=training_class.organising_body_id) for p in expected}
    links = _links(html)
    assert wanted <= links
    if role == "trainer":
        assert f"/bodies/{training_class.organising_body_id}/certificate-settings" not in html
    for href in wanted:
        assert client.get(href).status_code == 200, href


def test_organiser_sees_the_links_in_vietnamese(client, world):  # noqa: F811
    login(client, world["users"]["organiser"].username)
    html = client.get(f"/classes/{world['class'].id}").get_data(as_text=True)
    assert "Bảng điểm danh và yêu cầu chuyên cần" in html and "Mẫu chứng chỉ của cơ quan tổ chức" in html


def test_a_trainee_sees_none_of_them(client, world):  # noqa: F811
    training_class = world["class"]
    login(client, world["users"]["trainee"].username)
    for page in (f"/classes/{training_class.id}", f"/classes/{training_class.id}/my"):
        html = client.get(page, follow_redirects=True).get_data(as_text=True)
        for path in MANAGER_LINKS:
            assert path.format(id=training_class.id, body=training_class.organising_body_id) not in html, (page, path)
        assert "class-management" not in html
    assert client.get(f"/classes/{training_class.id}/my").status_code == 200
