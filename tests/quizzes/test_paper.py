"""The attempt's paper (what the page's script needs to move between questions offline) and
what the quiz page hands that script."""

from __future__ import annotations

import base64
import json
import re
from html import unescape
from pathlib import Path

from quizapp.banks.format import parse_bank
from quizapp.banks.services import store_bank
from quizapp.extensions import db
from quizapp.quizzes.models import Attempt
from tests.conftest import sign_in

STATIC = Path(__file__).resolve().parents[2] / "quizapp" / "static"

#: A 1×1 transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def start(client, slug: str) -> Attempt:
    response = client.post(f"/quizzes/{slug}/start")
    attempt_id = int(re.search(r"/attempts/(\d+)", response.location).group(1))
    return db.session.get(Attempt, attempt_id)


def data_attribute(page: str, name: str):
    """The JSON held in one of the quiz element's single-quoted data- attributes."""
    return json.loads(unescape(re.search(rf"data-{name}='([^']*)'", page).group(1)))


def test_paper_shows_every_drawn_question_as_the_pages_do(client, make_user, make_bank):
    sign_in(client, make_user())
    attempt = start(client, make_bank(shuffle_questions=True, shuffle_choices=True).slug)

    response = client.get(f"/attempts/{attempt.id}/paper")

    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    paper = response.json
    assert paper["attempt"] == attempt.id and paper["language"] == "zh-CN"
    assert [q["id"] for q in paper["questions"]] == [d.question_id for d in attempt.drawn]
    by_id = {q["id"]: q for q in paper["questions"]}
    drawn = {d.question_id: d for d in attempt.drawn}
    assert [c["value"] for c in by_id["q2"]["choices"]] == list(drawn["q2"].choice_order)
    assert [c["label"] for c in by_id["q2"]["choices"]] == ["A", "B", "C", "D"]
    assert by_id["q2"]["type"] == "multiple" and by_id["q2"]["image"] is None
    assert by_id["q3"]["choices"] == [
        {"value": "T", "label": "", "text": "正确"},
        {"value": "F", "label": "", "text": "错误"},
    ]
    assert set(by_id["q1"]) == {"id", "type", "text", "image", "image_alt", "choices"}


def test_paper_never_carries_the_key_or_explanations(client, make_user, make_bank):
    sign_in(client, make_user())
    attempt = start(client, make_bank().slug)

    body = client.get(f"/attempts/{attempt.id}/paper").get_data(as_text=True)

    assert "先断电" not in body  # the explanation
    assert '"answer' not in body and '"correct' not in body and '"explanation' not in body


def test_paper_is_only_for_the_attempts_owner(client, app, make_user, make_bank):
    owner, other = make_user(), make_user()
    sign_in(client, owner)
    attempt = start(client, make_bank().slug)
    stranger = app.test_client()
    sign_in(stranger, other)

    assert stranger.get(f"/attempts/{attempt.id}/paper").status_code == 404
    anonymous = app.test_client().get(f"/attempts/{attempt.id}/paper")
    assert anonymous.status_code == 302 and "/signin" in anonymous.location
    assert client.get("/attempts/999999/paper").status_code == 404


def test_paper_of_a_submitted_attempt_is_refused(client, make_user, make_bank):
    sign_in(client, make_user())
    attempt = start(client, make_bank().slug)
    client.post(f"/attempts/{attempt.id}/submit")

    response = client.get(f"/attempts/{attempt.id}/paper")

    assert response.status_code == 409 and response.json["error"] == "attempt_final"


def test_photo_question_shows_its_image_with_the_question_as_alt_text(client, make_user):
    text = (
        "id: signs\ntitle: Signs\nlanguage: en\nquiz:\n  shuffle_questions: false\n"
        "questions:\n  - id: s1\n    text: What does this sign mean?\n    image: images/s1.png\n"
        "    choices:\n      A: No entry\n      B: Wear a helmet\n    answer: B\n"
    )
    content = parse_bank(text.encode(), "signs.yaml", image_paths=["images/s1.png"])
    version = store_bank(content, text, "signs.zip", images={"images/s1.png": ("image/png", PNG)})
    db.session.commit()
    sign_in(client, make_user())
    attempt = start(client, "signs")
    address = f"/banks/images/{version.version.id}/images/s1.png"

    page = client.get(f"/attempts/{attempt.id}/questions/1").get_data(as_text=True)
    paper = client.get(f"/attempts/{attempt.id}/paper").json

    assert f'<img class="qimage" src="{address}" alt="What does this sign mean?">' in page
    assert paper["questions"][0]["image"] == address
    assert paper["questions"][0]["image_alt"] == "What does this sign mean?"
    assert client.get(address).data == PNG


def test_a_photo_described_by_image_alt_is_read_as_described(client, make_user):
    text = (
        "id: signs\ntitle: Signs\nlanguage: en\nquiz:\n  shuffle_questions: false\n"
        "questions:\n  - id: s1\n    text: What does this sign mean?\n    image: images/s1.png\n"
        "    image_alt: A white helmet on a blue circle\n"
        "    choices:\n      A: No entry\n      B: Wear a helmet\n    answer: B\n"
    )
    content = parse_bank(text.encode(), "signs.yaml", image_paths=["images/s1.png"])
    store_bank(content, text, "signs.zip", images={"images/s1.png": ("image/png", PNG)})
    db.session.commit()
    sign_in(client, make_user())
    attempt = start(client, "signs")
    page = client.get(f"/attempts/{attempt.id}/questions/1").get_data(as_text=True)
    paper = client.get(f"/attempts/{attempt.id}/paper").json
    assert 'alt="A white helmet on a blue circle"' in page
    assert paper["questions"][0]["image_alt"] == "A white helmet on a blue circle"


def test_quiz_page_hands_the_script_its_order_answers_and_words(client, make_user, make_bank):
    sign_in(client, make_user())
    attempt = start(client, make_bank(time_limit="5m").slug)
    client.post(f"/attempts/{attempt.id}/questions/2", data={"choice": ["C", "A"], "go": "next"})

    page = client.get(f"/attempts/{attempt.id}/questions/1").get_data(as_text=True)
    overview = client.get(f"/attempts/{attempt.id}/overview").get_data(as_text=True)

    for html in (page, overview):
        assert data_attribute(html, "order") == ["q1", "q2", "q3"]
        assert data_attribute(html, "answers") == {"q2": "AC"}
        words = data_attribute(html, "text")
        assert words["q"] == "Question {n} of {total}" and "{list}" in words["late"]
        assert f'data-paper-url="/attempts/{attempt.id}/paper"' in html
        assert '<script src="/static/quiz.js" defer></script>' in html
        assert "<script>" not in html and "style=" not in html  # the CSP allows neither
    assert 'class="speak" hidden' in page  # shown by the script only where speech exists
    assert '<fieldset lang="zh-CN">' in page and "<legend" in page
    assert 'aria-label="Question 2: answered"' in overview


def quiz_page_weight(client, make_user, make_bank) -> dict[str, int]:
    """Bytes of a question page and of every stylesheet and script it links, by file."""
    sign_in(client, make_user())
    attempt = start(client, make_bank(time_limit="10m").slug)
    page = client.get(f"/attempts/{attempt.id}/questions/2").data
    linked = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', page)
    return {"page": len(page)} | {
        name.decode(): len((STATIC / name.decode()).read_bytes()) for name in linked
    }


def test_quiz_page_and_its_script_stay_within_their_share_of_30_kb(client, make_user, make_bank):
    weight = quiz_page_weight(client, make_user, make_bank)
    assert weight["page"] + weight["quiz.js"] < 21_000, weight


def test_quiz_page_with_its_css_and_javascript_stays_under_30_kb(client, make_user, make_bank):
    weight = quiz_page_weight(client, make_user, make_bank)
    assert sum(weight.values()) < 30_000, weight


def test_office_styles_load_on_office_pages_only(client, make_user, make_bank):
    weight = quiz_page_weight(client, make_user, make_bank)
    assert "office.css" not in weight
    client.post("/signout")
    sign_in(client, make_user("manager"))
    report = client.get("/reports/", follow_redirects=True).get_data(as_text=True)
    assert "/static/office.css" in report
