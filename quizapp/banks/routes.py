"""Safety officers' bank pages: list, upload with preview and diff, versions, retire, images."""

from __future__ import annotations

import random

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from quizapp.auth.access import role_required
from quizapp.auth.models import Role
from quizapp.banks import services
from quizapp.banks.diff import diff_banks
from quizapp.banks.format import BankError, dump_yaml
from quizapp.banks.forms import UploadForm
from quizapp.banks.models import Bank, BankDraft, BankVersion
from quizapp.banks.uploads import UploadedBank, problem_groups, read_upload
from quizapp.extensions import db
from quizapp.quizzes.drawing import draw
from quizapp.quizzes.presenting import present

bp = Blueprint("banks", __name__, url_prefix="/banks")

officers_only = role_required(Role.OFFICER, Role.ADMIN)


def get_bank_or_404(slug: str) -> Bank:
    """The bank with this id, if it has a version."""
    bank = services.find_bank(slug)
    if bank is None or not bank.versions:
        abort(404)
    return bank


def get_version_or_404(slug: str, number: int) -> BankVersion:
    """Version `number` of the bank."""
    version = services.find_version(get_bank_or_404(slug), number)
    if version is None:
        abort(404)
    return version


def get_own_draft_or_404(draft_id: int) -> BankDraft:
    """A draft uploaded by the signed-in officer (admins may open any)."""
    draft = db.session.get(BankDraft, draft_id)
    if draft is None or (draft.uploaded_by_id != current_user.id and current_user.role != "admin"):
        abort(404)
    return draft


def _read(data: bytes, filename: str) -> UploadedBank:
    return read_upload(data, filename, max_bytes=current_app.config["MAX_BANK_BYTES"])


@bp.get("/")
@officers_only
def index():
    """Every bank with its newest version."""
    return render_template("banks/index.html", banks=services.list_banks())


@bp.route("/upload", methods=["GET", "POST"])
@officers_only
def upload():
    """Upload a bank; a bad file shows every error next to its lines and stores nothing."""
    form = UploadForm()
    problems, groups = [], []
    if form.validate_on_submit():
        upload_file = form.file.data
        filename = upload_file.filename or "bank.yaml"
        data = upload_file.read()
        try:
            _read(data, filename)
        except BankError as error:
            problems = error.problems
            quotable = filename.lower().endswith((".yaml", ".yml"))
            text = data.decode("utf-8", errors="replace") if quotable else ""
            groups = problem_groups(text, problems)
        else:
            draft = services.save_draft(data, filename, by=current_user)
            db.session.commit()
            return redirect(url_for("banks.draft", draft_id=draft.id))
    status = 422 if problems else 200
    page = render_template("banks/upload.html", form=form, problems=problems, groups=groups)
    return page, status


@bp.get("/drafts/<int:draft_id>")
@officers_only
def draft(draft_id: int):
    """A validated upload: its questions, and what changes against the newest version."""
    draft = get_own_draft_or_404(draft_id)
    uploaded = _read(draft.data, draft.filename)
    bank = services.find_bank(uploaded.content.id)
    current = bank.latest if bank is not None and bank.versions else None
    diff = diff_banks(current.parsed, uploaded.content) if current else None
    return render_template(
        "banks/draft.html", draft=draft, content=uploaded.content, current=current, diff=diff
    )


@bp.post("/drafts/<int:draft_id>/publish")
@officers_only
def publish(draft_id: int):
    """Publish the draft as the bank's next version (unless it is identical)."""
    draft = get_own_draft_or_404(draft_id)
    uploaded = _read(draft.data, draft.filename)
    result = services.store_bank(
        uploaded.content,
        uploaded.source_text,
        uploaded.source_name,
        by=current_user,
        images=uploaded.images,
    )
    db.session.delete(draft)
    db.session.commit()
    if result.created:
        flash(_("Published %(bank)s.", bank=str(result)), "info")
    else:
        flash(_("Identical to version %(n)d: nothing new published.", n=result.version.number))
    return redirect(url_for("banks.detail", slug=result.version.bank.slug))


@bp.post("/drafts/<int:draft_id>/discard")
@officers_only
def discard(draft_id: int):
    """Throw the upload away."""
    db.session.delete(get_own_draft_or_404(draft_id))
    db.session.commit()
    return redirect(url_for("banks.index"))


@bp.get("/<slug>")
@officers_only
def detail(slug: str):
    """A bank's versions, with preview, export, diff and retire."""
    return render_template("banks/detail.html", bank=get_bank_or_404(slug))


@bp.get("/<slug>/versions/<int:number>/diff")
@officers_only
def version_diff(slug: str, number: int):
    """What version `number` changed against the one before it."""
    version = get_version_or_404(slug, number)
    previous = services.find_version(version.bank, number - 1)
    if previous is None:
        abort(404)
    diff = diff_banks(previous.parsed, version.parsed)
    return render_template("banks/diff.html", version=version, previous=previous, diff=diff)


@bp.get("/<slug>/versions/<int:number>/preview")
@officers_only
def preview(slug: str, number: int):
    """A quiz drawn from this version exactly as a worker would see it; nothing is recorded."""
    version = get_version_or_404(slug, number)
    content = version.parsed
    shown = [
        present(content.question(d.question_id), d, content.language)
        for d in draw(content, random.SystemRandom())
    ]
    return render_template("banks/preview.html", version=version, content=content, shown=shown)


@bp.get("/<slug>/versions/<int:number>/export.yaml")
@officers_only
def export(slug: str, number: int):
    """The version as YAML, to edit and upload again."""
    version = get_version_or_404(slug, number)
    return Response(
        dump_yaml(version.parsed),
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{slug}-v{number}.yaml"'},
    )


@bp.post("/<slug>/retire")
@officers_only
def retire(slug: str):
    """Stop new attempts at the bank; running attempts may finish."""
    services.set_retired(get_bank_or_404(slug), True, by=current_user)
    db.session.commit()
    flash(_("Retired: no new attempts start. Running attempts may finish."), "info")
    return redirect(url_for("banks.detail", slug=slug))


@bp.post("/<slug>/reopen")
@officers_only
def reopen(slug: str):
    """Open a retired bank again."""
    services.set_retired(get_bank_or_404(slug), False, by=current_user)
    db.session.commit()
    return redirect(url_for("banks.detail", slug=slug))


@bp.get("/images/<int:version_id>/<path:path>")
@login_required
def image(version_id: int, path: str):
    """An image of a question, served with its detected type and nothing that could run."""
    stored = services.find_image(version_id, path)
    if stored is None:
        abort(404)
    response = Response(stored.data, mimetype=stored.media_type)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, max-age=86400, immutable"
    return response
