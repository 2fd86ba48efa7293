"""Safety officers upload, preview, publish, compare and retire banks in the browser."""

from __future__ import annotations

import io
import re
import zipfile

from sqlalchemy import func, select

from quizapp.audit.models import AuditEntry
from quizapp.banks.models import BankDraft, BankImage, BankVersion
from quizapp.extensions import db
from tests.conftest import sign_in

BANK = """\
id: ladders
title: 梯子使用安全
questions:
  - id: l1
    text: 使用人字梯时必须有可靠的拉撑措施。
    answer: true
  - id: l2
    text: 单梯使用时与地面的夹角以多少度为宜？
    choices:
      A: 45°
      B: 75°左右
      C: 90°
    answer: B
    explanation: 约75°最稳定。
"""

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload(client, name: str, data: bytes):
    return client.post(
        "/banks/upload", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def publish_text(client, text: str) -> None:
    response = upload(client, "ladders.yaml", text.encode())
    draft_id = int(re.search(r"/banks/drafts/(\d+)", response.location).group(1))
    client.post(f"/banks/drafts/{draft_id}/publish")


def test_officer_uploads_previews_and_publishes_a_bank(client, make_user):
    sign_in(client, make_user("officer"))
    response = upload(client, "ladders.yaml", BANK.encode())
    assert response.status_code == 302 and count(BankVersion) == 0
    preview = client.get(response.location).get_data(as_text=True)
    assert "梯子使用安全" in preview and "约75°最稳定。" in preview and "Publish" in preview
    draft_id = int(re.search(r"/banks/drafts/(\d+)", response.location).group(1))
    published = client.post(f"/banks/drafts/{draft_id}/publish", follow_redirects=True)
    assert "ladders v1" in published.get_data(as_text=True)
    assert count(BankVersion) == 1 and count(BankDraft) == 0
    entry = db.session.scalar(select(AuditEntry))
    assert entry.action == "bank.publish" and entry.target == "bank ladders v1"


def test_bad_upload_shows_every_error_with_its_line_and_stores_nothing(client, make_user):
    sign_in(client, make_user("officer"))
    bad = BANK.replace("answer: B", "answer: D").replace("title:", "titel:")
    response = upload(client, "ladders.yaml", bad.encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "ladders.yaml:2:1" in page and "did you mean &#39;title&#39;" in page
    assert "ladders.yaml:13:13" in page and "no such choice" in page
    assert "  13 | " in page  # the offending source line is shown
    assert count(BankDraft) == 0 and count(BankVersion) == 0


def test_upload_of_another_file_type_is_refused(client, make_user):
    sign_in(client, make_user("officer"))
    response = upload(client, "bank.exe", b"MZ")
    assert response.status_code == 422 and count(BankDraft) == 0


def test_reupload_shows_the_diff_before_publishing(client, make_user):
    sign_in(client, make_user("officer"))
    publish_text(client, BANK)
    extra = "  - id: l3\n    text: 梯子可以垫高使用。\n    answer: false\n"
    changed = BANK.replace("75°左右", "约75°") + extra
    response = upload(client, "ladders.yaml", changed.encode())
    page = client.get(response.location).get_data(as_text=True)
    assert "1 added, 1 changed, 0 removed." in page
    assert "Publish as version 2" in page


def test_identical_upload_publishes_nothing_new(client, make_user):
    sign_in(client, make_user("officer"))
    publish_text(client, BANK)
    publish_text(client, BANK.replace("title:", "# comment\ntitle:"))
    assert count(BankVersion) == 1


def test_zip_upload_with_an_image_serves_it_safely(client, make_user):
    sign_in(client, make_user("officer"))
    text = BANK.replace("    explanation: 约75°最稳定。\n", "    image: signs/ladder.png\n")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("ladders.yaml", text)
        zf.writestr("signs/ladder.png", PNG)
    response = upload(client, "ladders.zip", archive.getvalue())
    assert response.status_code == 302, response.get_data(as_text=True)
    draft_id = int(re.search(r"/banks/drafts/(\d+)", response.location).group(1))
    client.post(f"/banks/drafts/{draft_id}/publish")
    image = db.session.scalar(select(BankImage))
    assert image.path == "signs/ladder.png" and image.media_type == "image/png"
    served = client.get(f"/banks/images/{image.bank_version_id}/signs/ladder.png")
    assert served.data == PNG and served.mimetype == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served.headers["Content-Security-Policy"]


def test_zip_with_a_fake_image_is_refused_and_stores_nothing(client, make_user):
    sign_in(client, make_user("officer"))
    text = BANK.replace("    explanation: 约75°最稳定。\n", "    image: x.png\n")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("ladders.yaml", text)
        zf.writestr("x.png", "<script>alert(1)</script>")
    response = upload(client, "ladders.zip", archive.getvalue())
    assert response.status_code == 422 and count(BankDraft) == 0


def test_preview_draws_like_a_worker_and_records_nothing(client, make_user):
    from quizapp.quizzes.models import Attempt

    sign_in(client, make_user("officer"))
    publish_text(client, BANK)
    page = client.get("/banks/ladders/versions/1/preview").get_data(as_text=True)
    assert "单梯使用时与地面的夹角" in page and "75°左右" in page
    assert "约75°最稳定" not in page  # a worker sees no explanation before submitting
    assert count(Attempt) == 0


def test_version_diff_page_and_export(client, make_user):
    sign_in(client, make_user("officer"))
    publish_text(client, BANK)
    publish_text(client, BANK.replace("answer: B", "answer: C"))
    page = client.get("/banks/ladders/versions/2/diff").get_data(as_text=True)
    assert "0 added, 1 changed, 0 removed." in page and "answer" in page
    exported = client.get("/banks/ladders/versions/1/export.yaml")
    assert "answer: B" in exported.get_data(as_text=True)
    assert "attachment" in exported.headers["Content-Disposition"]


def test_retired_bank_starts_no_attempt_but_running_ones_finish(client, app, make_user):
    officer, worker = make_user("officer"), make_user()
    sign_in(client, officer)
    publish_text(client, BANK)
    worker_client = app.test_client()
    sign_in(worker_client, worker)
    started = worker_client.post("/quizzes/ladders/start")
    attempt_url = started.location
    client.post("/banks/ladders/retire")
    assert "ladders" not in worker_client.get("/quizzes").get_data(as_text=True)
    refused = worker_client.post("/quizzes/ladders/start", follow_redirects=True)
    assert "withdrawn" in refused.get_data(as_text=True)
    attempt_id = re.search(r"/attempts/(\d+)", attempt_url).group(1)
    done = worker_client.post(f"/attempts/{attempt_id}/submit", follow_redirects=True)
    assert done.status_code == 200 and "Not passed" in done.get_data(as_text=True)
    client.post("/banks/ladders/reopen")
    assert "梯子使用安全" in worker_client.get("/quizzes").get_data(as_text=True)
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["bank.publish", "bank.retire", "bank.reopen"]


def test_workers_and_managers_cannot_reach_bank_pages(client, make_user):
    for role in ("worker", "manager"):
        sign_in(client, make_user(role))
        for url in ["/banks/", "/banks/upload"]:
            assert client.get(url).status_code == 403, (role, url)
        assert upload(client, "ladders.yaml", BANK.encode()).status_code == 403
        client.post("/signout")
    assert count(BankDraft) == 0


def test_an_officer_cannot_open_another_officers_draft(client, app, make_user):
    first, second = make_user("officer"), make_user("officer")
    sign_in(client, first)
    draft_url = upload(client, "ladders.yaml", BANK.encode()).location
    other = app.test_client()
    sign_in(other, second)
    assert other.get(draft_url).status_code == 404
    assert other.post(draft_url + "/publish").status_code == 404
    assert count(BankVersion) == 0


def test_gift_and_aiken_uploads_convert_and_publish(client, make_user):
    sign_in(client, make_user("officer"))
    gift = (
        "::fire-1:: 火警电话是多少？ {=119 ~110 ~120 ####拨打119报火警。}\n\n"
        "配电箱可以不上锁。{F}\n"
    )
    response = upload(client, "fire-drill.gift", gift.encode())
    assert response.status_code == 302, response.get_data(as_text=True)
    draft = client.get(response.location).get_data(as_text=True)
    assert "火警电话是多少？" in draft and "拨打119报火警。" in draft
    aiken = "安全帽的作用是什么？\nA. 装饰\nB. 保护头部\nANSWER: B\n"
    assert upload(client, "helmets.txt", aiken.encode()).status_code == 302
    broken = upload(client, "broken.txt", "问题\nA. 只有一个选项\nANSWER: A\n".encode())
    assert broken.status_code == 422 and count(BankVersion) == 0
