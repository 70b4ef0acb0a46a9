"""Organising bodies, the work-unit tree (current and former units) and who may find whom."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from lms.auth.models import Role
from lms.errors import Conflict, Forbidden, NotFound, RuleViolation
from lms.organisations import services
from lms.organisations.models import BodyKind, UnitKind
from tests.factories import make_body, make_user

REFORM_DAY = date(2025, 7, 1)


# --- organising bodies -----------------------------------------------------------------------------------------

def test_create_body_cleans_the_name(app_ctx, db_session):
    body = services.create_body(db_session, name="  Sở  Khoa học và\tCông nghệ ", short_name=" Sở KH&CN ",
                                address=" 12  Đường Hoàng Văn Thụ ")
    assert body.id is not None
    assert body.name == "Sở Khoa học và Công nghệ"
    assert body.short_name == "Sở KH&CN"
    assert body.address == "12 Đường Hoàng Văn Thụ"
    assert body.kind == BodyKind.SCIENCE_DEPARTMENT


def test_body_names_are_unique_after_cleaning(app_ctx, db_session):
    services.create_body(db_session, name="Trung tâm Đào tạo ISO")
    for same in ("Trung tâm Đào tạo ISO", "  Trung tâm  Đào tạo ISO ", unicodedata.normalize("NFD", "Trung tâm Đào tạo ISO")):
        with pytest.raises(Conflict) as raised:
            services.create_body(db_session, name=same)
        assert raised.value.message


def test_body_needs_a_name_and_a_known_kind(app_ctx, db_session):
    with pytest.raises(RuleViolation):
        services.create_body(db_session, name="   ")
    with pytest.raises(RuleViolation):
        services.create_body(db_session, name="Công ty Tư vấn", kind="ngan-hang")
    body = services.create_body(db_session, name="Công ty Tư vấn", kind=BodyKind.CONSULTANCY)
    assert body.kind == "consultancy"


def test_list_bodies_is_sorted_by_name(app_ctx, db_session):
    for name in ("Sở KH&CN Tỉnh C", "Sở KH&CN Tỉnh A", "Sở KH&CN Tỉnh B"):
        services.create_body(db_session, name=name)
    names = [b.name for b in services.list_bodies(db_session) if b.name.startswith("Sở KH&CN Tỉnh")]
    assert names == ["Sở KH&CN Tỉnh A", "Sở KH&CN Tỉnh B", "Sở KH&CN Tỉnh C"]


# --- work units ------------------------------------------------------------------------------------------------

def test_create_unit_stores_a_folded_name(app_ctx, db_session):
    unit = services.create_unit(db_session, name=" UBND  xã Đồng Hỷ ", kind=UnitKind.COMMUNE, code=" 05436 ")
    assert unit.name == "UBND xã Đồng Hỷ"
    assert unit.name_folded == "ubnd xa dong hy"
    assert unit.code == "05436"


def test_unit_codes_are_unique_but_optional(app_ctx, db_session):
    services.create_unit(db_session, name="Xã A", kind=UnitKind.COMMUNE, code="001")
    with pytest.raises(Conflict):
        services.create_unit(db_session, name="Xã B", kind=UnitKind.COMMUNE, code="001")
    first = services.create_unit(db_session, name="Xã C", kind=UnitKind.COMMUNE, code="")
    second = services.create_unit(db_session, name="Xã D", kind=UnitKind.COMMUNE)
    assert first.code is None and second.code is None


def test_unit_end_date_must_be_after_start_date(app_ctx, db_session):
    for valid_to in (date(2020, 1, 1), date(2019, 12, 31)):
        with pytest.raises(RuleViolation):
            services.create_unit(db_session, name="Huyện X", kind=UnitKind.DISTRICT, valid_from=date(2020, 1, 1),
                                 valid_to=valid_to)
    unit = services.create_unit(db_session, name="Huyện X", kind=UnitKind.DISTRICT, valid_from=date(2020, 1, 1),
                                valid_to=date(2020, 1, 2))
    assert unit.valid_to == date(2020, 1, 2)


def test_unit_needs_a_name_and_a_known_kind(app_ctx, db_session):
    with pytest.raises(RuleViolation):
        services.create_unit(db_session, name="Thôn Một", kind="hamlet")
    with pytest.raises(RuleViolation):
        services.create_unit(db_session, name="  ", kind=UnitKind.COMMUNE)


def test_unit_parent_and_successor_must_exist(app_ctx, db_session):
    with pytest.raises(NotFound):
        services.create_unit(db_session, name="Xã Mồ Côi", kind=UnitKind.COMMUNE, parent_id=999_999)
    with pytest.raises(NotFound):
        services.create_unit(db_session, name="Huyện Cũ", kind=UnitKind.DISTRICT, successor_id=999_999)


@pytest.fixture
def tree(app_ctx, db_session):
    """A current province with departments, communes, a ward and a former district, plus a former province."""
    units = {}

    def add(key, name, kind, parent=None, **kwargs):
        units[key] = services.create_unit(db_session, name=name, kind=kind,
                                          parent_id=units[parent].id if parent else None, **kwargs)

    # Created in an order that is neither alphabetical nor by kind.
    add("tinh", "Tỉnh Thái Nguyên", UnitKind.PROVINCE)
    add("phuong", "UBND phường Tân An", UnitKind.WARD, "tinh")
    add("tu-phap", "Sở Tư pháp", UnitKind.DEPARTMENT, "tinh")
    add("huyen", "Huyện Phú Bình", UnitKind.DISTRICT, "tinh", valid_to=REFORM_DAY)
    add("xa-hoa-binh", "UBND xã Hòa Bình", UnitKind.COMMUNE, "tinh")
    add("noi-vu", "Sở Nội vụ", UnitKind.DEPARTMENT, "tinh")
    add("xa-an-phu", "UBND xã An Phú", UnitKind.COMMUNE, "tinh")
    add("phong", "Phòng Hành chính tư pháp", UnitKind.AGENCY, "tu-phap")
    add("xa-cu", "Xã Tân Đức", UnitKind.COMMUNE, "huyen", valid_to=REFORM_DAY)
    add("bac-kan", "Tỉnh Bắc Kạn", UnitKind.PROVINCE, valid_to=REFORM_DAY, successor_id=units["tinh"].id)
    return units


def tree_names(session, units, **kwargs) -> list[tuple[str, int]]:
    ours = {unit.id for unit in units.values()}
    return [(unit.name, depth) for unit, depth in services.unit_tree(session, **kwargs) if unit.id in ours]


def test_unit_tree_orders_roots_by_name_and_children_by_kind_then_name(db_session, tree):
    assert tree_names(db_session, tree) == [
        ("Tỉnh Bắc Kạn", 0),
        ("Tỉnh Thái Nguyên", 0),
        ("UBND xã An Phú", 1),          # commune
        ("UBND xã Hòa Bình", 1),
        ("Sở Nội vụ", 1),               # department
        ("Sở Tư pháp", 1),
        ("Phòng Hành chính tư pháp", 2),
        ("Huyện Phú Bình", 1),          # district (former)
        ("Xã Tân Đức", 2),
        ("UBND phường Tân An", 1),      # ward
    ]


def test_unit_tree_on_a_date_hides_former_units(db_session, tree):
    today = tree_names(db_session, tree, on=date(2026, 1, 15))
    names = [name for name, _depth in today]
    assert "Tỉnh Bắc Kạn" not in names
    assert "Huyện Phú Bình" not in names
    assert "Xã Tân Đức" not in names
    assert today == [
        ("Tỉnh Thái Nguyên", 0),
        ("UBND xã An Phú", 1),
        ("UBND xã Hòa Bình", 1),
        ("Sở Nội vụ", 1),
        ("Sở Tư pháp", 1),
        ("Phòng Hành chính tư pháp", 2),
        ("UBND phường Tân An", 1),
    ]


def test_valid_to_is_the_first_day_a_unit_no_longer_exists(db_session, tree):
    before = [name for name, _depth in tree_names(db_session, tree, on=date(2025, 6, 30))]
    on_the_day = [name for name, _depth in tree_names(db_session, tree, on=REFORM_DAY)]
    assert {"Tỉnh Bắc Kạn", "Huyện Phú Bình", "Xã Tân Đức"} <= set(before)
    assert not {"Tỉnh Bắc Kạn", "Huyện Phú Bình", "Xã Tân Đức"} & set(on_the_day)


def test_unit_tree_on_a_date_respects_valid_from(app_ctx, db_session):
    new = services.create_unit(db_session, name="Xã Mới Lập", kind=UnitKind.COMMUNE, valid_from=REFORM_DAY)
    assert new.id not in {u.id for u, _d in services.unit_tree(db_session, on=date(2025, 6, 30))}
    assert new.id in {u.id for u, _d in services.unit_tree(db_session, on=REFORM_DAY)}


def test_current_successor_follows_the_chain(app_ctx, db_session):
    today = services.create_unit(db_session, name="Tỉnh Thái Nguyên", kind=UnitKind.PROVINCE)
    old_province = services.create_unit(db_session, name="Tỉnh Bắc Kạn", kind=UnitKind.PROVINCE,
                                        valid_to=REFORM_DAY, successor_id=today.id)
    old_district = services.create_unit(db_session, name="Huyện Chợ Đồn", kind=UnitKind.DISTRICT,
                                        valid_to=REFORM_DAY, successor_id=old_province.id)
    assert services.current_successor(old_district).id == today.id
    assert services.current_successor(old_province).id == today.id
    assert services.current_successor(today).id == today.id


def test_current_successor_stops_on_a_cycle(app_ctx, db_session):
    first = services.create_unit(db_session, name="Huyện A", kind=UnitKind.DISTRICT)
    second = services.create_unit(db_session, name="Huyện B", kind=UnitKind.DISTRICT, successor_id=first.id)
    first.successor_id = second.id
    db_session.flush()
    db_session.expire_all()
    assert services.current_successor(db_session.get(type(first), first.id)).id in {first.id, second.id}


# --- people ----------------------------------------------------------------------------------------------------

@pytest.fixture
def people(app_ctx, db_session):
    body = make_body(db_session)
    other = make_body(db_session)
    everyone = {
        "admin": make_user(db_session, Role.ADMIN, full_name="Quản Trị Viên"),
        "organiser": make_user(db_session, Role.ORGANISER, body=body, full_name="Nguyễn Văn Hải"),
        "other_organiser": make_user(db_session, Role.ORGANISER, body=body, full_name="Đỗ Văn Khoa"),
        "trainer": make_user(db_session, Role.TRAINER, body=body, full_name="Trần Thị Minh Thu"),
        "huong": make_user(db_session, body=body, full_name="Nguyễn Thị Hương", phone="0912 345 678"),
        "an": make_user(db_session, body=body, full_name="Trần Văn An", username="an.tv"),
        "anh": make_user(db_session, body=body, full_name="Đặng Thị Ánh"),
        "duc": make_user(db_session, body=body, full_name="Bùi Văn Đức"),
        "dung": make_user(db_session, body=body, full_name="Phan Văn Dũng"),
        "outsider": make_user(db_session, body=other, full_name="Nguyễn Thị Hương"),
        "outside_trainer": make_user(db_session, Role.TRAINER, body=other, full_name="Lê Văn Bình"),
    }
    return body, other, everyone


def ids(users) -> list[int]:
    return [user.id for user in users]


def test_search_ignores_accents_and_case(db_session, people):
    _body, _other, p = people
    for typed in ("nguyen thi huong", "Nguyễn Thị Hương", "NGUYEN THI HUONG", "thi huong", "huong"):
        found = services.search_people(db_session, p["organiser"], text=typed)
        assert ids(found) == [p["huong"].id], typed
    decomposed = unicodedata.normalize("NFD", "Hương")
    assert ids(services.search_people(db_session, p["organiser"], text=decomposed)) == [p["huong"].id]


def test_search_d_with_stroke_matches_plain_d(db_session, people):
    _body, _other, p = people
    assert ids(services.search_people(db_session, p["organiser"], text="duc")) == [p["duc"].id]
    assert ids(services.search_people(db_session, p["organiser"], text="Đức")) == [p["duc"].id]
    assert ids(services.search_people(db_session, p["organiser"], text="dang thi")) == [p["anh"].id]


def test_search_by_login_name_and_phone(db_session, people):
    _body, _other, p = people
    assert ids(services.search_people(db_session, p["organiser"], text="an.tv")) == [p["an"].id]
    assert ids(services.search_people(db_session, p["organiser"], text="0912345")) == [p["huong"].id]


def test_organiser_sees_only_trainers_and_trainees_of_their_body(db_session, people):
    _body, _other, p = people
    seen = set(ids(services.search_people(db_session, p["organiser"])))
    assert seen == {p[key].id for key in ("trainer", "huong", "an", "anh", "duc", "dung")}
    hits = services.search_people(db_session, p["organiser"], text="nguyen thi huong")
    assert p["outsider"].id not in ids(hits)


def test_admin_sees_everyone(db_session, people):
    _body, _other, p = people
    seen = set(ids(services.search_people(db_session, p["admin"])))
    assert {user.id for user in p.values()} <= seen
    hits = ids(services.search_people(db_session, p["admin"], text="nguyen thi huong"))
    assert sorted(hits) == sorted([p["huong"].id, p["outsider"].id])


def test_role_filter(db_session, people):
    _body, _other, p = people
    assert ids(services.search_people(db_session, p["organiser"], role=Role.TRAINER)) == [p["trainer"].id]
    assert ids(services.search_people(db_session, p["admin"], role=Role.TRAINER, text="binh")) == [
        p["outside_trainer"].id]


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.TRAINER])
def test_trainees_and_trainers_may_not_search_people(app_ctx, db_session, role):
    actor = make_user(db_session, role, body=make_body(db_session))
    with pytest.raises(Forbidden):
        services.search_people(db_session, actor)
    with pytest.raises(Forbidden):
        services.get_visible_person(db_session, actor, actor.id)


def test_organiser_without_a_body_may_not_search(app_ctx, db_session):
    organiser = make_user(db_session, Role.ORGANISER)
    with pytest.raises(Forbidden):
        services.search_people(db_session, organiser)


def test_results_are_sorted_by_given_name(db_session, people):
    _body, _other, p = people
    names = [user.full_name for user in services.search_people(db_session, p["organiser"], role=Role.TRAINEE)]
    assert names == ["Trần Văn An", "Đặng Thị Ánh", "Phan Văn Dũng", "Bùi Văn Đức", "Nguyễn Thị Hương"]


def test_get_visible_person(db_session, people):
    _body, _other, p = people
    assert services.get_visible_person(db_session, p["organiser"], p["an"].id).id == p["an"].id
    for hidden in ("outsider", "other_organiser", "admin"):
        with pytest.raises(NotFound):
            services.get_visible_person(db_session, p["organiser"], p[hidden].id)
    assert services.get_visible_person(db_session, p["admin"], p["outsider"].id).id == p["outsider"].id


def test_assignable_roles(db_session, people):
    _body, _other, p = people
    assert set(services.assignable_roles(p["admin"])) == {Role.ADMIN, Role.ORGANISER, Role.TRAINER, Role.TRAINEE}
    assert set(services.assignable_roles(p["organiser"])) == {Role.TRAINER, Role.TRAINEE}
    assert services.assignable_roles(p["trainer"]) == []
    assert services.assignable_roles(p["huong"]) == []


def test_current_unit_under_a_former_parent_is_shown_as_a_root_on_a_date(app_ctx, db_session):
    former = services.create_unit(db_session, name="Huyện Đại Từ", kind=UnitKind.DISTRICT, valid_to=REFORM_DAY)
    still = services.create_unit(db_session, name="Trường THCS Hùng Sơn", kind=UnitKind.AGENCY, parent_id=former.id)
    today = {unit.id: depth for unit, depth in services.unit_tree(db_session, on=date(2026, 1, 1))}
    assert former.id not in today
    assert today[still.id] == 0
    everything = {unit.id: depth for unit, depth in services.unit_tree(db_session)}
    assert (everything[former.id], everything[still.id]) == (0, 1)
