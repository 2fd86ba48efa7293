"""The audit log, for administrators."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from quizapp.audit.models import AuditEntry
from quizapp.auth.access import role_required
from quizapp.auth.models import Role
from quizapp.extensions import db

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")

PAGE_SIZE = 100


@bp.get("/")
@role_required(Role.ADMIN)
def index():
    """Newest changes first, a page at a time."""
    page = max(1, request.args.get("page", 1, type=int))
    entries = db.session.scalars(
        select(AuditEntry)
        .options(selectinload(AuditEntry.actor))
        .order_by(AuditEntry.id.desc())
        .limit(PAGE_SIZE + 1)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template(
        "audit/index.html", entries=entries[:PAGE_SIZE], page=page, more=len(entries) > PAGE_SIZE
    )
