"""Certificates and training records as a worker, an officer and a stranger meet them."""

from __future__ import annotations

import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from quizapp.assignments.services import create_assignment
from quizapp.certificates.models import Certificate
from quizapp.certificates.pages import mask_name
from quizapp.database import utcnow
from quizapp.extensions import db
from quizapp.quizzes import services as quiz_services
from tests.conftest import sign_in

RIGHT = {"q1": ["B"], "q2": ["A", "B", "C"], "q3": ["F"]}


def text_of(response) -> str:
    """A PDF response's text, without white space or NUL characters (see test_documents)."""
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.data))
    text = "".join(page.extract_text() for page in reader.pages).replace("\x00", "")
    return "".join(text.split())


@pytest.fixture
def take(make_bank):
    """Finish an attempt of `user` at the test bank (valid for a year) passing or failing it."""
    bank = make_bank(valid_for_days=365)

    def run(user, passed: bool = True, at=None):
        at = at or utcnow() - timedelta(minutes=1)
        attempt = quiz_services.start_attempt(user, bank, now=at - timedelta(minutes=5))
        for question_id, answer in (RIGHT if passed else {"q1": ["A"]}).items():
            quiz_services.save_answer(attempt, question_id, answer, now=at)
        quiz_services.submit_attempt(attempt, now=at)
        db.session.commit()
        return attempt

    return run


@pytest.fixture
def zhang(make_user):
    return make_user(name="张伟", employee_no="W1001", crew_name="钢筋一班", site_name="东湖")


def certificates() -> int:
    return db.session.scalar(select(func.count()).select_from(Certificate))


def test_a_passed_attempt_gives_a_certificate_issued_once(client, zhang, take):
    attempt = take(zhang)
    sign_in(client, zhang)
    result = client.get(f"/attempts/{attempt.id}/result").get_data(as_text=True)
    assert f'href="/certificates/{attempt.id}.pdf"' in result
    first = client.get(f"/certificates/{attempt.id}.pdf")
    assert first.headers["Cache-Control"] == "private, no-store"
    text = text_of(first)
    certificate = db.session.scalar(select(Certificate))
    assert len(certificate.code) == 16
    for expected in (
        "张伟",
        "W1001",
        "钢筋一班·东湖",
        "测试题库（第1版/version1）",
        "100%合格/Passed",
    ):
        assert expected in text, expected
    assert f"http://localhost/verify/{certificate.code}" in text
    valid_until = attempt.submitted_at + timedelta(days=365)
    assert valid_until.astimezone(ZoneInfo("Asia/Shanghai")).date().isoformat() in text
    again = client.get(f"/certificates/{attempt.id}.pdf")
    assert certificates() == 1 and certificate.code in text_of(again)


def test_a_failed_attempt_has_no_certificate(client, zhang, take):
    attempt = take(zhang, passed=False)
    sign_in(client, zhang)
    assert "/certificates/" not in client.get(f"/attempts/{attempt.id}/result").text
    assert client.get(f"/certificates/{attempt.id}.pdf").status_code == 404
    running = quiz_services.start_attempt(zhang, attempt.bank)
    db.session.commit()
    assert client.get(f"/certificates/{running.id}.pdf").status_code == 404
    assert certificates() == 0


def test_certificates_are_for_their_owner_officers_admins_and_their_managers(
    app, make_user, zhang, take
):
    attempt = take(zhang)
    url = f"/certificates/{attempt.id}.pdf"
    assert "/signin" in app.test_client().get(url).location
    for stranger in (make_user(), make_user("manager")):
        client = app.test_client()
        sign_in(client, stranger)
        assert client.get(url).status_code == 404  # as if it did not exist
    for reader in (zhang, make_user("officer"), make_user("admin")):
        client = app.test_client()
        sign_in(client, reader)
        assert client.get(url).status_code == 200
        assert client.get(f"/certificates/{attempt.id + 100}.pdf").status_code == 404
    assert certificates() == 1


def test_anyone_can_verify_a_certificate_and_learns_little(app, zhang, take):
    attempt = take(zhang)
    owner = app.test_client()
    sign_in(owner, zhang)
    owner.get(f"/certificates/{attempt.id}.pdf")
    code = db.session.scalar(select(Certificate.code))
    page = app.test_client().get(f"/verify/{code}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Genuine and valid" in text and "张*" in text and "测试题库" in text
    assert "张伟" not in text and "W1001" not in text and "钢筋一班" not in text
    assert "100" not in text.split("<main", 1)[1]  # no score either
    assert '<meta name="robots" content="noindex">' in text


def test_an_expired_certificate_is_genuine_but_expired(app, zhang, take):
    attempt = take(zhang, at=utcnow() - timedelta(days=400))
    owner = app.test_client()
    sign_in(owner, zhang)
    assert owner.get(f"/certificates/{attempt.id}.pdf").status_code == 200
    code = db.session.scalar(select(Certificate.code))
    text = app.test_client().get(f"/verify/{code}").get_data(as_text=True)
    assert "Genuine, but expired" in text and "Genuine and valid" not in text


def test_an_assignments_refresher_interval_decides_how_long_a_certificate_is_valid(
    app, zhang, take
):
    # The bank's pass lasts a year; the crew's assignment asks for a refresher every 30 days.
    attempt = take(zhang, at=utcnow() - timedelta(days=40))
    create_assignment(
        attempt.bank, due_at=utcnow() + timedelta(days=7), crews=[zhang.crew], valid_for_days=30
    )
    db.session.commit()
    owner = app.test_client()
    sign_in(owner, zhang)
    text = text_of(owner.get(f"/certificates/{attempt.id}.pdf"))
    expiry = (attempt.submitted_at + timedelta(days=30)).astimezone(ZoneInfo("Asia/Shanghai"))
    assert expiry.date().isoformat() in text
    code = db.session.scalar(select(Certificate.code))
    page = app.test_client().get(f"/verify/{code}").get_data(as_text=True)
    assert "Genuine, but expired" in page


def test_an_unknown_code_is_not_genuine(client):
    for code in ("AbCdEfGh12345678", "x" * 40, "%E4%B8%AD"):
        response = client.get(f"/verify/{code}")
        assert response.status_code == 404
        assert "No certificate with this code" in response.get_data(as_text=True)


def test_names_are_masked_to_their_first_character():
    assert [mask_name(n) for n in ("张伟", "欧阳娜娜", "J. Smith", "李", " 王强 ")] == [
        "张*",
        "欧*",
        "J*",
        "*",
        "王*",
    ]


def test_a_training_record_lists_every_attempt(client, zhang, take):
    take(zhang, passed=False, at=utcnow() - timedelta(days=3))
    passed = take(zhang, at=utcnow() - timedelta(days=2))
    quiz_services.start_attempt(zhang, passed.bank)  # still running
    db.session.commit()
    sign_in(client, zhang)
    history = client.get("/history").get_data(as_text=True)
    assert f'href="/records/{zhang.id}.pdf"' in history
    response = client.get(f"/records/{zhang.id}.pdf")
    assert response.headers["Cache-Control"] == "private, no-store"
    text = text_of(response)
    assert "安全培训档案（一人一档）" in text and "张伟" in text and "W1001" in text
    assert text.count("测试题库（第1版/v1）") == 3
    assert "不合格/Notpassed" in text and "合格/Passed" in text and "进行中/Inprogress" in text
    assert "3（合格1/passed1）" in text


def test_records_are_for_the_person_officers_admins_and_their_managers(app, make_user, zhang, take):
    take(zhang)
    url = f"/records/{zhang.id}.pdf"
    assert "/signin" in app.test_client().get(url).location
    for stranger in (make_user(), make_user("manager")):
        client = app.test_client()
        sign_in(client, stranger)
        assert client.get(url).status_code == 404
        assert client.get(f"/records/{stranger.id}.pdf").status_code == 200  # their own
    for reader in (zhang, make_user("officer"), make_user("admin")):
        client = app.test_client()
        sign_in(client, reader)
        assert client.get(url).status_code == 200
        assert client.get(f"/records/{zhang.id + 100}.pdf").status_code == 404


def test_a_manager_has_the_records_of_the_workers_on_their_sites(app, make_user, zhang, take):
    attempt = take(zhang)
    manager = make_user("manager")
    other_site = make_user("manager")
    other_site.managed_sites = [make_user(crew_name="木工班", site_name="别的工地").crew.site]
    manager.managed_sites = [zhang.crew.site]
    db.session.commit()
    client = app.test_client()
    sign_in(client, manager)
    assert client.get(f"/records/{zhang.id}.pdf").status_code == 200
    assert client.get(f"/certificates/{attempt.id}.pdf").status_code == 200
    page = client.get(f"/reports/workers/{zhang.id}").get_data(as_text=True)
    assert f'href="/records/{zhang.id}.pdf"' in page
    stranger = app.test_client()
    sign_in(stranger, other_site)
    assert stranger.get(f"/records/{zhang.id}.pdf").status_code == 404
    assert stranger.get(f"/certificates/{attempt.id}.pdf").status_code == 404


def test_without_a_chinese_font_the_download_says_what_to_install(app, client, zhang, take):
    attempt = take(zhang)
    app.config["CJK_FONT_PATH"] = "/nonexistent/NotoSansCJK.ttc"
    sign_in(client, zhang)
    response = client.get(f"/certificates/{attempt.id}.pdf")
    assert response.status_code == 503
    assert "fonts-noto-cjk" in response.text and "CJK_FONT_PATH" in response.text
    assert client.get(f"/records/{zhang.id}.pdf").status_code == 503
