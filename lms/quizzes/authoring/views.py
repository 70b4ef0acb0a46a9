"""Question banks and test definitions in the web interface: editor, import with preview, export."""

from __future__ import annotations

import base64
import hashlib
import random
import zlib
from dataclasses import dataclass

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from markupsafe import Markup
from werkzeug.exceptions import BadRequest

from lms.audit.services import record
from lms.auth.models import STAFF_ROLES
from lms.courses.markdown import render_inline
from lms.courses.services import get_course
from lms.db import get_session, utcnow
from lms.errors import DomainError
from lms.quizzes.authoring import banks, quiz_editor, serialize, transfer
from lms.quizzes.authoring.formats.excel import build_template
from lms.quizzes.authoring.forms import BankForm, ImportForm, QuestionForm, TestForm, difficulty_labels, type_labels
from lms.quizzes.authoring.ownership import banks_of_test, owner_body_id
from lms.quizzes.authoring.test_definition import AttemptPolicy, DrawRule, Navigation, ReviewItem, TestDefinition
from lms.quizzes.presentation import present_question
from lms.quizzes.questions import Difficulty, QuestionData
from lms.security import roles_required

bp = Blueprint("quizzes_banks", __name__, template_folder="../templates")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_SALT = "quizzes-bank-import"
IMPORT_MAX_AGE_SECONDS = 3600


# --------------------------------------------------------------------------- banks and questions


@bp.get("/courses/<slug>/banks")
@roles_required(*STAFF_ROLES)
def list_banks(slug: str):
    session = get_session()
    course = get_course(session, slug)
    return render_template("quizzes/bank_list.html", course=course,
                           rows=banks.list_banks(session, course, current_user),
                           tests=quiz_editor.course_tests(session, course, current_user),
                           read_only=banks.read_only_message())


@bp.route("/banks/new", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def new_bank():
    session = get_session()
    course = get_course(session, request.args.get("course", ""))
    form, problems = BankForm(request.form), []
    if request.method == "POST" and form.validate():
        try:
            bank = banks.create_bank(session, course, slug=form.slug.data, title=form.title.data,
                                     body_id=owner_body_id(current_user))
        except banks.ProblemsFound as error:
            problems = error.problems
        else:
            session.commit()
            flash(_("The question bank has been created."), "success")
            return redirect(url_for("quizzes_banks.show_bank", bank_id=bank.id))
    status = 422 if problems or form.errors else 200
    return render_template("quizzes/bank_new.html", course=course, form=form, problems=problems), status


@bp.get("/banks/<int:bank_id>")
@roles_required(*STAFF_ROLES)
def show_bank(bank_id: int):
    session = get_session()
    bank = banks.get_bank(session, bank_id, current_user)
    filters = {name: request.args.get(name, "") for name in ("type", "difficulty", "module")}
    status = request.args.get("status", "active")
    questions = banks.bank_questions(session, bank, status=status, **filters)
    ordering = sum(1 for q in banks.bank_questions(session, bank) if q.type == "ordering")
    return render_template("quizzes/bank_show.html", bank=bank, questions=questions, filters=filters, status=status,
                           modules=banks.module_slugs(bank.course), type_labels=type_labels(),
                           difficulty_labels=difficulty_labels(), gift_skipped=ordering,
                           read_only=banks.read_only_message())


@bp.route("/banks/<int:bank_id>/questions/new", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def new_question(bank_id: int):
    session = get_session()
    bank = banks.get_bank(session, bank_id, current_user)
    if bank.from_content:
        raise DomainError(banks.read_only_message())
    form = QuestionForm(request.form)
    if request.method == "GET":
        form.text.data = banks.question_yaml(banks.skeleton_question(session, bank, request.args.get("type", "")))
    return _question_editor(session, bank, form, row=None)


@bp.route("/banks/<int:bank_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def edit_question(bank_id: int, question_id: int):
    session = get_session()
    bank = banks.get_bank(session, bank_id, current_user)
    row = banks.get_question(session, bank, question_id)
    form = QuestionForm(request.form)
    if request.method == "GET":
        form.text.data = banks.question_yaml(banks.question_data(row))
    elif bank.from_content:
        raise DomainError(banks.read_only_message())
    return _question_editor(session, bank, form, row=row)


def _question_editor(session, bank, form: QuestionForm, *, row):
    problems, preview = [], None
    if request.method == "GET" or form.validate():
        try:
            question = banks.parse_question_yaml(form.text.data or "")
            preview = _preview(question)
            if request.method == "POST" and request.form.get("action") == "save":
                return _save_question(session, bank, question, row)
        except banks.ProblemsFound as error:
            problems = error.problems
    status = 422 if request.method == "POST" and (problems or form.errors) else 200
    return render_template("quizzes/bank_question.html", bank=bank, row=row, form=form, problems=problems,
                           preview=preview, type_labels=type_labels(), modules=banks.module_slugs(bank.course),
                           read_only=banks.read_only_message()), status


def _save_question(session, bank, question: QuestionData, row):
    if row is None:
        row = banks.add_question(session, bank, question, now=utcnow())
        action, before = "question.create", None
    else:
        action, before = "question.edit", {"version": row.version, "data": dict(row.data)}
        banks.update_question(session, row, question, now=utcnow())
    record(session, action, actor_id=current_user.id, body_id=bank.organising_body_id, target_type="question",
           target_id=row.id, target_label=f"{bank.title or bank.slug} · {row.key}", before=before,
           after={"version": row.version, "data": row.data})
    session.commit()
    flash(_("Question '%(key)s' has been saved.", key=row.key), "success")
    return redirect(url_for("quizzes_banks.show_bank", bank_id=bank.id))


def _preview(question: QuestionData) -> dict:
    """The question as the trainee sees it (options in source order), texts rendered, plus the answer key."""
    public = present_question(question, rng=random.Random(0), shuffle_options=False).to_public_dict()
    rendered = {"stem": Markup(render_inline(public["stem"]))}
    for group in ("choices", "left", "right", "items"):
        if group in public:
            rendered[group] = [Markup(render_inline(choice["text"])) for choice in public[group]]
    return {"type": public["type"], "public": rendered, "question": question}


@bp.post("/banks/<int:bank_id>/questions/<int:question_id>/retire")
@roles_required(*STAFF_ROLES)
def retire_question(bank_id: int, question_id: int):
    return _set_active(bank_id, question_id, active=False)


@bp.post("/banks/<int:bank_id>/questions/<int:question_id>/restore")
@roles_required(*STAFF_ROLES)
def restore_question(bank_id: int, question_id: int):
    return _set_active(bank_id, question_id, active=True)


def _set_active(bank_id: int, question_id: int, *, active: bool):
    session = get_session()
    bank = banks.get_bank(session, bank_id, current_user)
    row = banks.get_question(session, bank, question_id)
    try:
        (banks.restore_question if active else banks.retire_question)(session, row, now=utcnow())
        record(session, "question.restore" if active else "question.retire", actor_id=current_user.id,
               body_id=bank.organising_body_id, target_type="question", target_id=row.id,
               target_label=f"{bank.title or bank.slug} · {row.key}")
    except banks.ProblemsFound as error:
        for problem in error.problems:
            flash(str(problem), "warning")
    else:
        session.commit()
        flash(_("Question '%(key)s' is back in the draws.", key=row.key) if active
              else _("Question '%(key)s' is retired: it will no longer be drawn.", key=row.key), "success")
    return redirect(url_for("quizzes_banks.show_bank", bank_id=bank.id))


# --------------------------------------------------------------------------- import and export


@dataclass
class Upload:
    data: bytes
    filename: str
    kind: str | None


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=IMPORT_SALT)


def _sign(bank_id: int, upload: Upload, kind: str) -> tuple[str, str]:
    """The file for the confirm form: compressed, base64, and a token tying it to this bank (SECRET_KEY HMAC)."""
    payload = base64.b64encode(zlib.compress(upload.data)).decode()
    digest = hashlib.sha256(payload.encode()).hexdigest()
    token = _signer().dumps([bank_id, upload.filename, kind, digest])
    return payload, token


def _unsign(bank_id: int, payload: str, token: str) -> Upload:
    refused = BadRequest(_("The file to import could not be confirmed (it was changed or is more than an hour "
                           "old). Please upload it again."))
    refused.lms_message = True
    try:
        signed_bank, filename, kind, digest = _signer().loads(token, max_age=IMPORT_MAX_AGE_SECONDS)
    except (BadSignature, ValueError, TypeError):
        raise refused from None
    if signed_bank != bank_id or digest != hashlib.sha256(payload.encode()).hexdigest():
        raise refused
    return Upload(zlib.decompress(base64.b64decode(payload)), filename, kind)


def _uploaded_file(form: ImportForm) -> Upload | None:
    file = request.files.get("file")
    if file is None or not file.filename:
        form.kind.errors = [*form.kind.errors, _("Choose a file to import.")]
        return None
    return Upload(file.read(), file.filename, form.kind.data or None)


def _form_limit() -> int:
    return current_app.config.get("MAX_FORM_MEMORY_SIZE") or current_app.config["MAX_CONTENT_LENGTH"]


@bp.route("/banks/<int:bank_id>/import", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def import_questions(bank_id: int):
    session = get_session()
    bank = banks.get_bank(session, bank_id, current_user)
    if bank.from_content:
        raise DomainError(banks.read_only_message())
    form = ImportForm(request.form)
    form.kind.choices = [("", _("Recognise from the file")), ("gift", "GIFT (Moodle)"), ("aiken", "Aiken"),
                         ("excel", "Excel (.xlsx)")]
    form.module.choices = [("", _("(none)"))] + [(m, m) for m in banks.module_slugs(bank.course)]
    preview = signed = None
    if request.method == "POST" and form.validate():
        confirm = request.form.get("action") == "confirm"
        upload = _unsign(bank.id, form.payload.data, form.token.data) if confirm else _uploaded_file(form)
        if upload is not None:
            preview = transfer.check_import(session, bank, transfer.preview_import(
                upload.data, upload.filename, upload.kind, module=form.module.data or None))
            if confirm and preview.can_commit:
                count = transfer.commit_import(session, bank, preview, now=utcnow())
                record(session, "bank.import", actor_id=current_user.id, body_id=bank.organising_body_id,
                       target_type="bank", target_id=bank.id, target_label=bank.title or bank.slug,
                       after={"file": upload.filename[:200], "kind": preview.kind, "questions": count})
                session.commit()
                flash(_("%(count)d questions have been imported.", count=count), "success")
                return redirect(url_for("quizzes_banks.show_bank", bank_id=bank.id))
            signed = _sign(bank.id, upload, preview.kind)
            if len(signed[0]) + len(signed[1]) > _form_limit() - 4096:
                form.kind.errors = [*form.kind.errors, _("The file is too large to import in one go; split it.")]
                preview = signed = None
    status = 422 if request.method == "POST" and (form.errors or (preview and not preview.can_commit)) else 200
    return render_template("quizzes/bank_import.html", bank=bank, form=form, preview=preview, signed=signed,
                           type_labels=type_labels()), status


@bp.get("/banks/template.xlsx")
@roles_required(*STAFF_ROLES)
def excel_template():
    return _download(build_template(), XLSX, "mau-ngan-hang-cau-hoi.xlsx")


@bp.get("/banks/<int:bank_id>/export.gift")
@roles_required(*STAFF_ROLES)
def export_gift(bank_id: int):
    session = get_session()
    bank = banks.get_bank(session, bank_id, current_user)
    exported = transfer.export_gift(session, bank)
    return _download(exported.text.encode(), "text/plain; charset=utf-8", f"{_file_stem(bank)}.gift.txt")


@bp.get("/banks/<int:bank_id>/export.xlsx")
@roles_required(*STAFF_ROLES)
def export_excel(bank_id: int):
    session = get_session()
    bank = banks.get_bank(session, bank_id, current_user)
    return _download(transfer.export_excel(session, bank), XLSX, f"{_file_stem(bank)}.xlsx")


def _file_stem(bank) -> str:
    return f"{bank.course.slug}-{bank.slug}"


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --------------------------------------------------------------------------- tests


@bp.route("/courses/<slug>/tests/new", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def new_test(slug: str):
    return _test_editor(slug, quiz_id=None)


@bp.route("/courses/<slug>/tests/<int:quiz_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def edit_test(slug: str, quiz_id: int):
    return _test_editor(slug, quiz_id=quiz_id)


def _test_editor(slug: str, *, quiz_id: int | None):
    session = get_session()
    course = get_course(session, slug)
    quiz = quiz_editor.get_test(session, course, quiz_id, current_user) if quiz_id is not None else None
    if request.method == "POST" and quiz is not None and quiz.from_content:
        raise DomainError(banks.read_only_message())
    form = TestForm(request.form) if request.method == "POST" else _initial_test_form(quiz)
    form.fill_choices(banks.module_slugs(course))
    problems = []
    if request.method == "POST" and form.validate():
        before = _test_settings(quiz) if quiz is not None else None
        try:
            saved = quiz_editor.save_test(session, course, current_user, _test_from_form(form, quiz), quiz=quiz, now=utcnow())
        except banks.ProblemsFound as error:
            problems = error.problems
        else:
            record(session, "quiz.save", actor_id=current_user.id, body_id=saved.organising_body_id,
                   target_type="quiz", target_id=saved.id, target_label=saved.title, before=before,
                   after=_test_settings(saved))
            session.commit()
            flash(_("The test '%(title)s' has been saved.", title=saved.title), "success")
            return redirect(url_for("quizzes_banks.list_banks", slug=course.slug))
        form.rules.append_entry()
    form.fill_choices(banks.module_slugs(course))
    status = 422 if request.method == "POST" else 200
    return render_template("quizzes/bank_test.html", course=course, quiz=quiz, form=form, problems=problems,
                           pool_size=len(banks.scope_questions(session, _pool_scope(course, quiz))),
                           read_only=banks.read_only_message()), status


def _test_settings(quiz) -> dict:
    """The settings of a test kept in the audit log, before and after a change."""
    return {"title": quiz.title, "time_limit_minutes": quiz.time_limit_minutes,
            "pass_mark_percent": quiz.pass_mark_percent, "max_attempts": quiz.max_attempts,
            "attempt_policy": quiz.attempt_policy, "draw_rules": list(quiz.draw_rules or [])}


def _pool_scope(course, quiz):
    return banks_of_test(quiz) if quiz is not None else quiz_editor.new_test_scope(course, current_user)


def _initial_test_form(quiz) -> TestForm:
    if quiz is None:
        test = TestDefinition(slug="", title="", title_en="", time_limit_minutes=30, pass_mark_percent=70,
                              max_attempts=1, draw=[])
    else:
        test = serialize.quiz_definition(quiz)
    rules = [{"module": r.module or "", "difficulty": str(r.difficulty or ""), "tags": ", ".join(r.tags),
              "count": r.count} for r in test.draw]
    form = TestForm(data={
        "title": test.title, "title_en": test.title_en, "slug": test.slug, "time_limit_minutes": test.time_limit_minutes,
        "pass_mark_percent": test.pass_mark_percent, "max_attempts": test.max_attempts,
        "attempt_policy": str(test.attempt_policy), "navigation": str(test.navigation),
        "shuffle_questions": test.shuffle_questions, "shuffle_options": test.shuffle_options,
        "avoid_repeats": test.avoid_repeats, "review_after_submit": sorted(map(str, test.review_after_submit)),
        "review_after_close": sorted(map(str, test.review_after_close)), "rules": rules + [{}, {}],
    })
    return form


def _test_from_form(form: TestForm, quiz) -> TestDefinition:
    rules = [DrawRule(count=rule.count.data, module=rule.module.data or None,
                      difficulty=Difficulty(rule.difficulty.data) if rule.difficulty.data else None,
                      tags=tuple(t.strip() for t in (rule.tags.data or "").split(",") if t.strip()))
             for rule in form.rules if rule.count.data]
    return TestDefinition(
        slug=quiz.slug if quiz else (form.slug.data or "").strip(), title=form.title.data.strip(),
        title_en=(form.title_en.data or "").strip(), time_limit_minutes=form.time_limit_minutes.data,
        pass_mark_percent=form.pass_mark_percent.data, max_attempts=form.max_attempts.data or 0, draw=rules,
        attempt_policy=AttemptPolicy(form.attempt_policy.data), navigation=Navigation(form.navigation.data),
        shuffle_questions=form.shuffle_questions.data, shuffle_options=form.shuffle_options.data,
        avoid_repeats=form.avoid_repeats.data,
        review_after_submit=frozenset(ReviewItem(i) for i in form.review_after_submit.data or []),
        review_after_close=frozenset(ReviewItem(i) for i in form.review_after_close.data or []),
    )
