"""Hostile files and requests are refused quickly, clearly and without a trace (`-m security`).

Each hostile bank goes through the officer's upload page and through `flask banks import`,
as a real one would: the answer is a list of problems (422 in the browser, exit status 1 on
the command line), never a server error, and nothing is stored.
"""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from quizapp.banks.format import MAX_BANK_BYTES
from quizapp.banks.models import Bank, BankDraft, BankVersion
from quizapp.extensions import db
from quizapp.quizzes.models import Answer
from tests.conftest import sign_in

pytestmark = pytest.mark.security

#: A hostile file must be turned away within this much CPU time (processor time, so that a
#: busy machine does not fail the test; the worst of these takes about 0.1 s on a laptop).
FAST = 2.0

BILLION_LAUGHS = """\
id: laughs
title: lol
questions: &a9 [*a8, *a8, *a8, *a8, *a8, *a8, *a8, *a8, *a8]
description: &a0 "lol"
x1: &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]
x2: &a2 [*a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1]
x3: &a3 [*a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2]
x4: &a4 [*a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3]
x5: &a5 [*a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4]
x6: &a6 [*a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5]
x7: &a7 [*a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6]
x8: &a8 [*a7, *a7, *a7, *a7, *a7, *a7, *a7, *a7, *a7]
"""

GOOD_START = "id: hostile\ntitle: 安全\nquestions:\n  - id: q1\n    text: 题\n"

#: name → (file content, what the officer is told).
HOSTILE_BANKS = {
    "python object tag": (
        GOOD_START.encode() + b"    answer: !!python/object/apply:os.system ['touch {marker}']\n",
        "explicit tags such as &#39;!!python/object/apply:os.system&#39; are not allowed",
    ),
    "python name tag": (
        b"id: !!python/name:os.system x\ntitle: t\nquestions: []\n",
        "explicit tags such as &#39;!!python/name:os.system&#39; are not allowed",
    ),
    "local include tag": (
        b"id: x\ntitle: !include /etc/passwd\nquestions: []\n",
        "explicit tags such as &#39;!include&#39; are not allowed",
    ),
    "alias bomb": (BILLION_LAUGHS.encode(), "aliases (*a8) are not allowed"),
    "a flood of aliases": (
        b"id: flood\ntitle: &t t\nquestions: [" + b"*t, " * 4_000 + b"]\n",
        "too many problems; only the first 1000 are shown",
    ),
    "deep flow nesting": (
        b"id: deep\ntitle: t\nquestions: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
        "the file nests deeper than 20 levels",
    ),
    "deep block nesting": (
        (
            "id: deep\ntitle: t\nquestions:\n" + "".join("  " * i + "- k:\n" for i in range(1, 400))
        ).encode(),
        "the file nests deeper than 20 levels",
    ),
    "huge scalar": (
        b"id: huge\ntitle: " + b"x" * MAX_BANK_BYTES + b"\nquestions: []\n",
        "a bank may be at most 2,097,152 bytes",
    ),
    "tab indentation": (
        GOOD_START.encode() + b"\tanswer: true\n",
        "indent with spaces, not tabs",
    ),
    "Latin-1": ("id: x\ntitle: Sécurité\nquestions: []\n".encode("latin-1"), "not UTF-8 text"),
    "GBK": ("id: x\ntitle: 安全\nquestions: []\n".encode("gbk"), "not UTF-8 text"),
    "UTF-16": ("id: x\ntitle: 安全\nquestions: []\n".encode("utf-16"), "not UTF-8 text"),
    "NUL byte": (b"id: x\ntitle: t\x00\nquestions: []\n", "control character U+0000"),
    "several documents": (
        b"id: x\ntitle: t\nquestions: []\n---\nid: y\n",
        "more than one YAML document",
    ),
}


def upload(client, filename: str, content: bytes):
    """Post a file to the upload page as the officer's browser would."""
    file = FileStorage(io.BytesIO(content), filename, content_type="application/octet-stream")
    boundary, body = encode_multipart({"file": file})
    return client.post(
        "/banks/upload", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def stored_banks() -> tuple[int, int, int]:
    """Banks, versions and drafts in the database."""
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Bank, BankVersion, BankDraft)
    )


@pytest.fixture
def hostile_file(request, tmp_path):
    """(name, content, expected message), with a marker file a tag must not manage to create."""
    name = request.param
    content, expected = HOSTILE_BANKS[name]
    marker = tmp_path / "executed"
    return name, content.replace(b"{marker}", str(marker).encode()), expected, marker


@pytest.mark.parametrize("hostile_file", list(HOSTILE_BANKS), indirect=True)
def test_hostile_bank_upload_is_refused_fast_and_clearly(client, make_user, hostile_file):
    name, content, expected, marker = hostile_file
    sign_in(client, make_user("officer"))
    began = time.process_time()
    response = upload(client, "hostile.yaml", content)
    elapsed = time.process_time() - began
    assert response.status_code == 422, name
    assert expected in response.get_data(as_text=True), name
    assert elapsed < FAST, f"{name}: {elapsed:.2f} s of CPU"
    # The page may quote the offending lines, but a small file must not make a huge page.
    assert len(response.data) < 2 * len(content) + 100_000, f"{name}: {len(response.data)} bytes"
    assert stored_banks() == (0, 0, 0) and not marker.exists()


@pytest.mark.parametrize("hostile_file", list(HOSTILE_BANKS), indirect=True)
def test_hostile_bank_import_is_refused_fast_and_clearly(runner, tmp_path, hostile_file):
    name, content, expected, marker = hostile_file
    path = tmp_path / "hostile.yaml"
    path.write_bytes(content)
    began = time.process_time()
    result = runner.invoke(args=["banks", "import", str(path)])
    elapsed = time.process_time() - began
    assert result.exit_code == 1, (name, result.output)
    assert expected.replace("&#39;", "'") in result.stderr, name
    assert f"{path}:" in result.stderr and "nothing imported" in result.stderr
    assert "Traceback" not in result.output
    assert elapsed < FAST, f"{name}: {elapsed:.2f} s of CPU"
    assert stored_banks() == (0, 0, 0) and not marker.exists()


def test_zip_bomb_upload_is_refused_before_unpacking(client, make_user):
    sign_in(client, make_user("officer"))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bank.yaml", GOOD_START + "    answer: true\n")
        zf.writestr("images/sign.png", b"\0" * (64 * 1024 * 1024))
    began = time.process_time()
    response = upload(client, "bomb.zip", archive.getvalue())
    assert time.process_time() - began < FAST
    assert response.status_code == 422
    assert "the archive unpacks to" in response.get_data(as_text=True)
    assert stored_banks() == (0, 0, 0)


def test_nul_characters_in_addresses_and_forms_are_refused(client, make_user, make_bank):
    worker, bank = make_user(), make_bank()
    # PostgreSQL cannot even compare text holding NUL: these must never reach a query.
    response = client.post(
        "/signin", data={"employee_no": worker.employee_no + "\x00", "password": "x"}
    )
    assert response.status_code == 400
    sign_in(client, worker)
    assert client.post("/quizzes/%00/start").status_code == 400
    assert client.get(f"/quizzes?crew=%00{bank.slug}").status_code == 400
    client.post("/signout")
    sign_in(client, make_user("officer"))
    good = b"id: fine\ntitle: t\nquestions:\n  - id: q1\n    text: x\n    answer: true\n"
    before = stored_banks()
    assert upload(client, "fi\x00ne.yaml", good).status_code == 400
    assert stored_banks() == before


def test_json_nested_too_deeply_is_a_bad_request(client, make_user, make_bank):
    sign_in(client, make_user())
    started = client.post(f"/quizzes/{make_bank().slug}/start")
    url = re.search(r"/attempts/\d+", started.location).group(0) + "/answers"
    response = client.post(url, data="[" * 100_000, content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"] == "bad_request"
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_a_body_over_the_upload_limit_is_refused(make_app, make_user):
    app = make_app(MAX_CONTENT_LENGTH=64 * 1024)
    with app.app_context():
        officer = make_user("officer")
        client = app.test_client()
        sign_in(client, officer)
        response = upload(client, "big.yaml", b"#" * (65 * 1024))
        assert response.status_code == 413
        assert "That file is too large." in response.get_data(as_text=True)
        assert stored_banks() == (0, 0, 0)
        db.session.remove()
