"""Reading the fact sheet's [V]/[P]/[U] marks, and the editorial checks that use them."""

from __future__ import annotations

import pytest

from lms.content_checks import check_content, fact_problems, similar_question_problems, undrawable_problems
from lms.courses.content import CourseData
from lms.courses.fact_sheet import FactSheet
from lms.quizzes.authoring.content import CourseQuizzes
from lms.quizzes.authoring.test_definition import DrawRule, TestDefinition
from lms.quizzes.questions import Difficulty, QuestionData, QuestionType

SHEET = FactSheet("""# Syllabus
### Fact sheet 1: Legal basis

#### 1.1 Timeline

| # | Instrument | What it does | Mark | Source |
|---|---|---|---|---|
| 4 | **QĐ 19/2014/QĐ-TTg** | Applies a QMS. | V | x |
| 6 | TT 116/2015 | Funding. | U (not found) | — |

#### 1.2 Who must apply

**Under QĐ 19/2014.** [V: a source]
- Must build and apply:
  - provincial People's Committees;
- Typical findings at commune inspections:
  - records not in order;
  - [V: another source]
- The wording of the article. [U: not retrieved]

### Fact sheet 3: Structure

**Sources for the table below**
- English titles: [V: a]
- Vietnamese level-3 titles: [U]

| Clause | English title |
|---|---|
| 4.1 | Understanding the organization |
| 7.1 | Resources [U for 7.1.x] |

**Revision (added 2026-12-01)**
- The amendment added climate change to 4.1. [V: ISO]
- Publication of ISO 9001:2026 is expected in 2026. [P: secondary sources]

### Fact sheet 4: ISO 18091

#### 4.1 Identity
- Title: Guidelines for local government.
- Owner: ISO/TC 176.
- [V: iso.org]

#### 4.3 Quadrants
English names: [V: iso18091.org]. Vietnamese renderings are ours. [U]
""")


@pytest.mark.parametrize(("source", "mark"), [
    ("SYLLABUS FS1.1 row 4", "V"),
    ("SYLLABUS FS1.1 #6", "U"),
    ("SYLLABUS FS1.2 (provincial People's Committees)", "V"),  # from its parent paragraph
    ("SYLLABUS FS1.2 (typical findings)", "V"),  # from its children
    ("SYLLABUS FS1.2 (wording of the article)", "U"),
    ("SYLLABUS FS3 row 4.1", "V"),  # a table row takes the first mark of the text before the table
    ("SYLLABUS FS3 row 7.1", "U"),  # unless it carries its own
    ("SYLLABUS FS3 (climate change)", "V"),
    ("SYLLABUS FS3 (ISO 9001:2026 expected)", "P"),
    ("SYLLABUS FS1.1", "U"),  # a whole section is only as sure as its least sure fact
    ("SYLLABUS FS4.1 (Owner: ISO/TC 176)", "V"),  # a list closed by "- [V: ...]"
    ("SYLLABUS FS4.3 (English names)", "V"),  # the sentence holding the words decides
    ("SYLLABUS FS4.3 (Vietnamese renderings)", "U"),
])
def test_marks(source, mark):
    (lookup,) = SHEET.lookup(source)
    assert lookup.mark == mark, lookup


@pytest.mark.parametrize("source", ["SYLLABUS FS1.1 row 99", "SYLLABUS FS9", "SYLLABUS FS1.2 (nothing like this)",
                                    "a book"])
def test_unknown_facts_are_problems(source):
    (lookup,) = SHEET.lookup(source)
    assert lookup.mark is None and lookup.problem


def question(key: str, stem: str, *, source: str = "SYLLABUS FS1.1 row 4", module: str = "m1",
             difficulty: Difficulty = Difficulty.EASY) -> QuestionData:
    return QuestionData(key=key, type=QuestionType.TRUE_FALSE, stem=stem, truth=True, source=source, module=module,
                        difficulty=difficulty)


def course_quizzes(slug: str, *questions: QuestionData, rules=()) -> CourseQuizzes:
    test = TestDefinition(slug="t", title="T", title_en="T", time_limit_minutes=30, pass_mark_percent=70,
                          max_attempts=1, draw=list(rules) or [DrawRule(count=1, module="m1")])
    return CourseQuizzes(slug, banks={"m1": list(questions)}, tests=[test])


def test_a_test_question_on_a_p_or_u_fact_is_refused():
    found = course_quizzes("c", question("q1", "Câu một", source="SYLLABUS FS1.1 #6; FS1.1 row 4"),
                           question("q2", "Câu hai", source="sách"))
    problems = fact_problems([found], SHEET)
    assert len(problems) == 2 and "[U]" in problems[0] and "q2" in problems[1]


def test_questions_no_rule_can_draw_are_named():
    found = course_quizzes("c", question("q1", "Một"), question("q2", "Hai", difficulty=Difficulty.HARD),
                           rules=[DrawRule(count=1, module="m1", difficulty=Difficulty.EASY)])
    assert [p.split("câu ")[1].split(" ")[0] for p in undrawable_problems(found)] == ["q2"]


def test_near_duplicates_across_courses_are_found_but_not_within_one():
    stem = "Sắp xếp các bước của chu trình PDCA theo đúng thứ tự"
    first = course_quizzes("a", question("a1", stem), question("a2", stem + " nhé"))
    second = course_quizzes("b", question("b1", stem + " trong cơ quan"), question("b2", "Một câu khác hẳn về phạm vi"))
    problems = similar_question_problems([first, second])
    assert {p.split(" ")[0] for p in problems} == {"a1", "a2"} and all("b1" in p for p in problems)


def test_missing_fact_sheet_is_a_note_locally_and_a_problem_on_ci(tmp_path, monkeypatch):
    course = CourseData(slug="c", title="", title_en="", summary="", summary_en="", audience="", duration_hours=1,
                        position=1, path=tmp_path, content_hash="", basis=["TCVN ISO 9001:2015"])
    monkeypatch.delenv("CI", raising=False)
    report = check_content([course], [], syllabus=tmp_path / "missing.md")
    assert report.notes and all("checked_on" in p for p in report.problems)
    monkeypatch.setenv("CI", "1")
    report = check_content([course], [], syllabus=tmp_path / "missing.md")
    assert any("missing.md" in p for p in report.problems)
