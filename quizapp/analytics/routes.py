"""Item analysis pages for safety officers: which questions work and which look broken."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from quizapp.analytics import charts, pages, queries, services
from quizapp.analytics.export import item_table_csv
from quizapp.auth.access import role_required
from quizapp.auth.models import Role
from quizapp.banks.models import BankVersion
from quizapp.banks.services import find_bank, find_version
from quizapp.extensions import db

bp = Blueprint("analytics", __name__, url_prefix="/analytics")

officers_only = role_required(Role.OFFICER, Role.ADMIN)


def get_version_or_404(slug: str, number: int) -> BankVersion:
    """Version `number` of the bank with this YAML id."""
    bank = find_bank(slug)
    version = find_version(bank, number) if bank is not None else None
    return version or abort(404)


@bp.get("/")
@officers_only
def index():
    """Every bank's versions with how many finished attempts each has."""
    return render_template("analytics/index.html", banks=queries.banks_with_counts())


@bp.get("/<slug>")
@officers_only
def newest(slug: str):
    """The analysis of a bank's newest version."""
    bank = find_bank(slug)
    if bank is None or not bank.versions:
        abort(404)
    return redirect(url_for("analytics.version", slug=slug, number=bank.latest.number))


@bp.get("/<slug>/versions/<int:number>")
@officers_only
def version(slug: str, number: int):
    """Item table, reliability, score distribution and each crew's weakest topics."""
    found = get_version_or_404(slug, number)
    content = found.parsed
    stored = services.current_analysis(found)
    db.session.commit()
    analysis = stored.result.analysis
    return render_template(
        "analytics/version.html",
        version=found,
        stored=stored,
        analysis=analysis,
        rows=pages.item_rows(analysis, content.questions, content.language),
        chart=charts.histogram(pages.score_bands(), analysis.score_distribution),
        reliability=pages.reliability_note(analysis.kr20),
        crews=pages.crew_topics(stored.result, content.questions),
        flag_name=pages.flag_name,
        flag_sentence=pages.flag_sentence,
    )


@bp.post("/<slug>/versions/<int:number>/recalculate")
@officers_only
def recalculate(slug: str, number: int):
    """Compute the analysis again now, over every attempt finished so far."""
    found = get_version_or_404(slug, number)
    services.recalculate(found)
    db.session.commit()
    flash(_("The analysis was calculated again."), "info")
    return redirect(url_for("analytics.version", slug=slug, number=number))


@bp.get("/<slug>/versions/<int:number>/items.csv")
@officers_only
def items_csv(slug: str, number: int):
    """The item table as CSV, the columns of `flask analytics items`: the analysis the page
    shows, so the two agree."""
    found = get_version_or_404(slug, number)
    analysis = services.current_analysis(found).result.analysis
    db.session.commit()
    response = Response(item_table_csv(analysis, found.parsed.questions), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="items-{found.bank.slug}-v{found.number}.csv"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
