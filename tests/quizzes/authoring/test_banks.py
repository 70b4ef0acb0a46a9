"""Web question banks: the editor's rules, import all or nothing (Moodle's own GIFT files), export, test editor."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook
from sqlalchemy import func, select

from lms.auth.models import Role
from lms.db import utcnow
from lms.errors import RuleViolation
from lms.quizzes.authoring import banks, quiz_editor, serialize, transfer
from lms.quizzes.authoring.formats.excel import SHEET, build_template, read_excel
from lms.quizzes.authoring.formats.gift.reading import read_gift
from lms.quizzes.authoring.test_definition import DrawRule, TestDefinition
from lms.quizzes.models import Question, QuestionBank, Quiz
from lms.quizzes.questions import Difficulty, Option, QuestionData, QuestionType
from tests.external import external_fixture
from tests.factories import load_fixture_content, make_body, make_user

GIFT_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "gift"
NOW = utcnow()


@pytest.fixture
def course(db_session, app_ctx):
    """English messages, so the assertions read like the code (the pages' Vietnamese is in test_bank_views)."""
    with force_locale("en"):
        yield load_fixture_content(db_session)


@pytest.fixture
def organiser(db_session):
    return make_user(db_session, Role.ORGANISER, body=make_body(db_session), username="btc.nganhang")


@pytest.fixture
def bank(db_session, course, organiser):
    return banks.create_bank(db_session, course, slug="bo-sung", title="Câu hỏi bổ sung",
                             body_id=organiser.organising_body_id)


def _single(key: str, stem: str, *, module: str | None = "hoc-phan-mot", difficulty=Difficulty.MEDIUM) -> QuestionData:
    return QuestionData(key=key, type=QuestionType.SINGLE, stem=stem, module=module, difficulty=difficulty,
                        options=[Option("Đúng", 100.0), Option("Sai")], explanation="Vì vậy.")


def _count(db_session, bank) -> int:
    return db_session.scalar(select(func.count()).select_from(Question).where(Question.bank_id == bank.id))


def _gift(name: str) -> bytes:
    return (GIFT_DIR / name).read_bytes()


def _content_bank(db_session, course) -> QuestionBank:
    return db_session.scalar(select(QuestionBank).where(QuestionBank.course_id == course.id,
                                                        QuestionBank.from_content))


def _test(**changes) -> TestDefinition:
    values = dict(slug="kiem-tra-web", title="Kiểm tra nhanh", title_en="Quick test", time_limit_minutes=15,
                  pass_mark_percent=50, max_attempts=1, draw=[DrawRule(count=2, module="hoc-phan-mot")])
    return TestDefinition(**{**values, **changes})


# --------------------------------------------------------------------------- banks and questions


def test_create_bank_checks_slug_title_and_uniqueness(db_session, course, bank, organiser):
    assert not bank.from_content and [r.bank.slug for r in banks.list_banks(db_session, course, organiser)][-1] == "bo-sung"
    with pytest.raises(banks.ProblemsFound) as error:
        banks.create_bank(db_session, course, slug="bo-sung", title="", body_id=None)
    assert len(error.value.problems) == 2
    with pytest.raises(banks.ProblemsFound):
        banks.create_bank(db_session, course, slug="Bộ Sung", title="x", body_id=None)


def test_add_edit_retire_restore(db_session, bank):
    row = banks.add_question(db_session, bank, _single("bs-001", "Câu hỏi mới?"), now=NOW)
    assert row.version == 1 and row.active and row.module == "hoc-phan-mot"
    same = banks.update_question(db_session, row, _single("bs-001", "Câu hỏi mới?"), now=NOW)
    assert same.version == 1  # nothing changed, no new version
    changed = banks.update_question(db_session, row, _single("bs-001", "Câu hỏi đã sửa?", difficulty=Difficulty.HARD),
                                    now=NOW)
    assert changed.version == 2 and changed.stem == "Câu hỏi đã sửa?" and changed.difficulty == "hard"
    assert changed.data["stem"] == "Câu hỏi đã sửa?"
    banks.retire_question(db_session, row, now=NOW)
    assert not row.active and [q.key for q in banks.bank_questions(db_session, bank, status="retired")] == ["bs-001"]
    banks.restore_question(db_session, row, now=NOW)
    assert row.active


def test_keys_and_stems_unique_in_the_course(db_session, bank):
    with pytest.raises(banks.ProblemsFound, match="km-001"):  # a key of the content bank
        banks.add_question(db_session, bank, _single("km-001", "Một câu khác hẳn?"), now=NOW)
    content_stem = db_session.scalar(select(Question.stem).where(Question.key == "km-103"))
    with pytest.raises(banks.ProblemsFound, match="km-103"):
        banks.add_question(db_session, bank, _single("bs-002", "  " + content_stem.upper()), now=NOW)
    with pytest.raises(banks.ProblemsFound, match="khong-co"):
        banks.add_question(db_session, bank, _single("bs-003", "Câu ba?", module="khong-co"), now=NOW)
    row = banks.add_question(db_session, bank, _single("bs-004", "Câu bốn?"), now=NOW)
    with pytest.raises(banks.ProblemsFound):
        banks.update_question(db_session, row, _single("bs-005", "Câu bốn?"), now=NOW)  # the key is fixed


def test_retiring_a_question_a_test_needs_is_refused(db_session, course, bank, organiser):
    rows = [banks.add_question(db_session, bank, _single(f"bs-{n}", f"Câu {n}?", module="hoc-phan-hai"), now=NOW)
            for n in range(2)]
    quiz_editor.save_test(db_session, course, organiser, _test(draw=[DrawRule(count=5, module="hoc-phan-hai")]), now=NOW)
    with pytest.raises(banks.ProblemsFound, match="Kiểm tra nhanh"):
        banks.retire_question(db_session, rows[0], now=NOW)
    with pytest.raises(banks.ProblemsFound, match="Kiểm tra nhanh"):  # moving it to another module too
        banks.update_question(db_session, rows[0], _single("bs-0", "Câu 0?", module="hoc-phan-mot"), now=NOW)
    assert rows[0].active


def test_content_banks_are_read_only(db_session, course):
    content = _content_bank(db_session, course)
    row = content.questions[0]
    for attempt in (lambda: banks.add_question(db_session, content, _single("x-1", "Câu x?"), now=NOW),
                    lambda: banks.update_question(db_session, row, banks.question_data(row), now=NOW),
                    lambda: banks.retire_question(db_session, row, now=NOW),
                    lambda: transfer.commit_import(db_session, content, transfer.preview_import(
                        b"Q?\nA. a\nB. b\nANSWER: A\n", "a.txt"), now=NOW)):
        with pytest.raises(RuleViolation, match="content sync"):
            attempt()
    assert transfer.export_gift(db_session, content).text  # export is allowed


def test_question_yaml_round_trip_for_every_type(db_session, bank):
    for qtype in QuestionType:
        question = banks.skeleton_question(db_session, bank, str(qtype))
        assert question.type == qtype
        assert banks.parse_question_yaml(banks.question_yaml(question)) == banks.parse_question_yaml(
            banks.question_yaml(banks.parse_question_yaml(banks.question_yaml(question))))


def test_question_yaml_problems_have_lines():
    with pytest.raises(banks.ProblemsFound) as error:
        banks.parse_question_yaml("key: a\ntype: single\nstem: Câu?\noptions:\n  - {text: x}\n  - {text: y}\n")
    assert [str(p) for p in error.value.problems] == ["line 1: câu hỏi loại single phải có đúng một đáp án đúng"]
    with pytest.raises(banks.ProblemsFound) as error:
        banks.parse_question_yaml("key: a\ntype: numeric\nstem: [\n")
    assert str(error.value.problems[0]).startswith("line 4: lỗi cú pháp YAML")


def test_partial_weights_and_numeric_range_parse():
    question = banks.parse_question_yaml(
        "key: m\ntype: multiple\nscoring: partial\nstem: Chọn hai\noptions:\n"
        "  - {text: a, correct: true, weight: 60}\n  - {text: b, correct: true, weight: 40}\n"
        "  - {text: c, weight: -50}\n")
    assert [o.weight for o in question.options] == [60, 40, -50]
    numeric = banks.parse_question_yaml("key: n\ntype: numeric\nstem: Số?\nanswers:\n  - {min: 1, max: 5}\n")
    assert numeric.numeric_answers[0].bounds() == (1, 5)


# --------------------------------------------------------------------------- import


def test_file_with_an_essay_and_repeats_is_reported_and_writes_nothing(db_session, bank):
    preview = transfer.check_import(db_session, bank, transfer.preview_import(_gift("features.gift.txt"),
                                                                        "features.gift.txt"))
    assert preview.kind == "gift" and len(preview.questions) == 12
    blocking = [str(p) for p in preview.blocking]
    assert blocking[0] == "line 2: câu hỏi tự luận (essay) chưa được hỗ trợ; đã bỏ qua"
    assert any(p.startswith("line 24: the same question text as at line 16") for p in blocking)
    assert any(p.startswith("line 50: the same question text as at line 48") for p in blocking)
    with pytest.raises(banks.ProblemsFound):
        transfer.commit_import(db_session, bank, preview, now=NOW)
    assert _count(db_session, bank) == 0


def test_file_imports_once_the_problem_questions_are_removed(db_session, bank):
    lines = _gift("features.gift.txt").decode().splitlines()
    removed = {2, *range(24, 31), 50}  # the essay, the second question about PDCA, the second true/false
    text = "\n".join("" if number in removed else line for number, line in enumerate(lines, start=1))
    preview = transfer.preview_import(text.encode(), "moodle.gift")
    assert preview.blocking == [] and preview.can_commit
    assert transfer.commit_import(db_session, bank, preview, now=NOW) == 10
    keys = [q.key for q in banks.bank_questions(db_session, bank)]
    assert sorted(keys) == sorted(["ghep-thuat-ngu", "chu-trinh", "so-dieu", "tra-loi-ngan", "dung-sai", "T1",
                                   "ky-tu-dieu-khien", "he-thong-quan-ly-chat-luong-duoc-xay-dung-theo-tai-co-quan",
                                   "nam-ban-hanh", "khoang"])
    with pytest.raises(banks.ProblemsFound, match="already used"):  # the same file twice: keys now taken
        transfer.commit_import(db_session, bank, transfer.preview_import(text.encode(), "moodle.gift"), now=NOW)
    assert _count(db_session, bank) == 10


@pytest.mark.parametrize("path", [lambda: GIFT_DIR / "categories.gift.txt",
                                  lambda: external_fixture("gift", "moodle-questions_in_category.gift.txt")],
                         ids=["own", "moodle"])
def test_category_file_imports_whole(db_session, bank, path):
    preview = transfer.preview_import(path().read_bytes(), "x.txt", module="hoc-phan-hai")
    assert transfer.commit_import(db_session, bank, preview, now=NOW) == len(preview.questions) == 4
    assert {q.module for q in banks.bank_questions(db_session, bank)} == {"hoc-phan-hai"}


def test_examples_file_has_repeated_questions(db_session, bank):
    preview = transfer.preview_import(external_fixture("gift", "moodle-examples.gift.txt").read_bytes(), "examples.txt")
    assert len(preview.questions) == 43
    repeats = [p for p in preview.blocking if "the same question text" in p.message]
    assert repeats and all(str(p).startswith(f"line {p.line}: ") for p in repeats)
    assert any(p.warning for p in preview.problems)  # approximations do not block by themselves
    with pytest.raises(banks.ProblemsFound):
        transfer.commit_import(db_session, bank, preview, now=NOW)
    assert _count(db_session, bank) == 0


def test_broken_files_give_line_numbers(db_session, bank):
    gift = b"::a:: Good question {=yes ~no}\n\n::b:: Broken {=yes ~no\n\n::c:: Essay {}\n"
    preview = transfer.preview_import(gift, "broken.gift")
    assert [p.line for p in preview.blocking] == [3, 5] and all(str(p).startswith("line ") for p in preview.blocking)
    aiken = "Câu một?\nA. một\nB. hai\nANSWER: A\n\nCâu hai?\nA. một\nB. hai\nANSWER: C\n".encode()
    preview = transfer.preview_import(aiken, "cau-hoi.txt")
    assert preview.kind == "aiken" and [str(p)[:7] for p in preview.blocking] == ["line 6:"]
    assert transfer.preview_import(b"\xff\xfe\x00bad", "x.txt", "gift").blocking[0].line == 1
    assert str(transfer.preview_import(b"", "x.txt", "gift").blocking[0]) == "line 1: the file holds no question"
    assert str(transfer.preview_import(b"not a zip", "x.xlsx").blocking[0]).startswith("row 1: ")


def test_excel_template_round_trip(db_session, bank):
    workbook = load_workbook(io.BytesIO(build_template()))
    sheet = workbook[SHEET]
    sheet.append(["", "Một lựa chọn", "Dễ", "hoc-phan-mot", "", "Câu từ Excel?", "Có", "Không", "", "", "", "",
                  "A", "Giải thích", 1])
    sheet.append(["", "Loại lạ", "", "", "", "Câu lỗi?"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = transfer.preview_import(buffer.getvalue(), "mau.xlsx")
    assert preview.kind == "excel" and [str(p)[:6] for p in preview.blocking] == ["row 3:"]
    with pytest.raises(banks.ProblemsFound):
        transfer.commit_import(db_session, bank, preview, now=NOW)
    sheet.delete_rows(3)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert transfer.commit_import(db_session, bank, transfer.preview_import(buffer.getvalue(), "mau.xlsx"), now=NOW) == 1
    exported, _ = read_excel(transfer.export_excel(db_session, bank))
    assert [(q.stem, q.difficulty, q.module) for q in exported] == [("Câu từ Excel?", Difficulty.EASY, "hoc-phan-mot")]


# --------------------------------------------------------------------------- export


def test_export_gift_leaves_out_ordering_and_says_so(db_session, course, organiser):
    content = next(b for b in (r.bank for r in banks.list_banks(db_session, course, organiser)) if b.slug == "hoc-phan-hai")
    exported = transfer.export_gift(db_session, content)
    assert exported.skipped == ["km-102"]
    assert exported.text.startswith("// Not exported, GIFT has no ordering questions: km-102")
    items, problems = read_gift(exported.text)
    assert [p for p in problems if not p.warning] == []
    assert sorted(i.question.key for i in items) == ["km-101", "km-103"]


def test_export_then_import_gives_the_same_questions(db_session, bank):
    original = banks.question_data(banks.add_question(db_session, bank, _single("bs-1", "Câu một?"), now=NOW))
    gift, xlsx = transfer.export_gift(db_session, bank).text.encode(), transfer.export_excel(db_session, bank)
    for data, name in ((gift, "b.gift"), (xlsx, "b.xlsx")):
        preview = transfer.preview_import(data, name)
        assert preview.blocking == [] and [replace(q, line=None) for q in preview.questions] == [original]
        checked = transfer.check_import(db_session, bank, preview)  # the same questions again: refused
        assert {p.message.split(" ")[0] for p in checked.blocking} == {"key", "the"}


# --------------------------------------------------------------------------- tests


def test_save_test_checks_draw_rules_against_the_course(db_session, course, bank, organiser):
    with pytest.raises(banks.ProblemsFound, match="cần 9 câu"):
        quiz_editor.save_test(db_session, course, organiser, _test(draw=[DrawRule(count=9, module="hoc-phan-mot")]), now=NOW)
    with pytest.raises(banks.ProblemsFound) as error:
        quiz_editor.save_test(db_session, course, organiser, _test(slug="Sai Slug", title=" ", time_limit_minutes=0, draw=[]), now=NOW)
    assert len(error.value.problems) == 4
    quiz = quiz_editor.save_test(db_session, course, organiser, _test(), now=NOW)
    assert not quiz.from_content and quiz.draw_rules == [{"count": 2, "module": "hoc-phan-mot", "tags": [],
                                                          "difficulty": None}]
    with pytest.raises(banks.ProblemsFound, match="already has a test"):
        quiz_editor.save_test(db_session, course, organiser, _test(), now=NOW)
    for n in range(4):
        banks.add_question(db_session, bank, _single(f"bs-{n}", f"Câu {n}?", difficulty=Difficulty.HARD), now=NOW)
    rules = [DrawRule(count=5, module="hoc-phan-mot", difficulty=Difficulty.HARD)]
    quiz_editor.save_test(db_session, course, organiser, _test(max_attempts=0, draw=rules), quiz=quiz, now=NOW)
    assert quiz.max_attempts == 0 and quiz.draw_rules[0]["count"] == 5 and quiz.slug == "kiem-tra-web"
    assert serialize.quiz_definition(quiz).question_count == 5


def test_content_tests_are_read_only(db_session, course, organiser):
    quiz = db_session.scalar(select(Quiz).where(Quiz.course_id == course.id, Quiz.from_content))
    with pytest.raises(RuleViolation, match="content sync"):
        quiz_editor.save_test(db_session, course, organiser, serialize.quiz_definition(quiz), quiz=quiz, now=NOW)
