"""Item analysis on stored attempts: the streaming load, the officer's page, the CSV and the CLI."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from quizapp import create_app
from quizapp.analytics import queries
from quizapp.analytics.items import ITEM_TABLE_COLUMNS, Flag, describe
from quizapp.analytics.models import ItemAnalysisSnapshot
from quizapp.analytics.queries import analyse_version, finished_responses
from quizapp.auth.services import create_user
from quizapp.banks.format import parse_bank
from quizapp.banks.services import store_bank
from quizapp.database import utcnow
from quizapp.extensions import db
from quizapp.quizzes import services as quiz_services
from tests.conftest import PASSWORD, sign_in

TAGGED = """\
id: tagged-bank
title: 用电与消防
language: zh-CN
quiz:
  shuffle_questions: false
  shuffle_choices: false
questions:
  - id: e1
    text: 发现有人触电，首先应当怎么做？
    choices: {{A: 立即用手把人拉开, B: 迅速切断电源, C: 用湿木棍挑开电线}}
    answer: B
    tags: [用电]
  - id: e2
    type: multiple
    text: 三级配电包括哪些？
    choices: {{A: 总配电箱, B: 分配电箱, C: 开关箱, D: 插线板}}
    answer: [A, B, C]
    points: 2
    tags: [用电, 配电]
  - id: f1
    text: 电气火灾可以用水扑救。
    answer: false
    tags: [消防]
{extra}"""


def store(text: str):
    content = parse_bank(text.encode(), "tagged.yaml")
    version = store_bank(content, text, "tagged.yaml").version
    db.session.commit()
    return version


@pytest.fixture
def tagged(make_user):
    """Version 1 of a tagged bank with two finished attempts and one still running;
    version 2 exists with an attempt of its own."""
    version = store(TAGGED.format(extra=""))
    bank = version.bank
    zhang = make_user(name="张伟", crew_name="钢筋班")
    li = make_user(name="李娜")  # no crew
    wang = make_user(name="王强", crew_name="钢筋班")
    at = utcnow() - timedelta(hours=1)
    first = quiz_services.start_attempt(zhang, bank, now=at)
    quiz_services.save_answer(first, "e1", ["B"], now=at)
    quiz_services.save_answer(first, "f1", ["F"], now=at)  # e2 left unanswered
    quiz_services.submit_attempt(first, now=at)
    second = quiz_services.start_attempt(li, bank, now=at)
    quiz_services.save_answer(second, "e1", ["A"], now=at)
    quiz_services.save_answer(second, "e2", ["A", "B", "C"], now=at)
    quiz_services.submit_attempt(second, now=at)
    quiz_services.start_attempt(wang, bank, now=at)  # still running
    db.session.commit()
    extra = "  - id: f2\n    text: 灭火器应定期检查。\n    answer: true\n"
    newer = store(TAGGED.format(extra=extra))
    later = quiz_services.start_attempt(zhang, bank, now=utcnow())
    assert later.bank_version_id == newer.id
    quiz_services.submit_attempt(later, now=utcnow())
    db.session.commit()
    assert newer.number == 2
    return version


def test_finished_attempts_come_with_every_drawn_question(tagged):
    loaded = {item.responses.attempt_id: item for item in finished_responses(tagged)}
    assert len(loaded) == 2  # not the running attempt, not version 2's
    by_crew = {item.crew: item.responses for item in loaded.values()}
    assert set(by_crew) == {"钢筋班", ""}
    zhang = {r.question_id: r for r in by_crew["钢筋班"].responses}
    assert [r.question_id for r in by_crew["钢筋班"].responses] == ["e1", "e2", "f1"]
    assert (zhang["e2"].selected, zhang["e2"].earned, zhang["e2"].possible) == ("", 0.0, 2)
    assert (zhang["e1"].selected, zhang["e1"].earned) == ("B", 1.0)
    li = {r.question_id: r for r in by_crew[""].responses}
    assert (li["e2"].selected, li["e2"].earned, li["f1"].selected) == ("ABC", 2.0, "")


def test_the_answers_are_read_in_one_streaming_query(tagged):
    assert tagged.id and tagged.parsed.questions  # a page has loaded the version already
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert len(list(finished_responses(tagged))) == 2
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1, statements


def test_the_analysis_of_a_version(tagged):
    result = analyse_version(tagged)
    analysis = result.analysis
    assert analysis.attempts == 2
    assert analysis.mean_percent == 50  # 2 of 4 points each
    facility = {item.question_id: item.facility for item in analysis.items}
    assert facility == {"e1": 0.5, "e2": 0.5, "f1": 0.5}
    assert all(Flag.FEW_RESPONSES in item.flags for item in analysis.items)
    rebar = [(topic.tag, topic.n, topic.facility) for topic in result.topics["钢筋班"]]
    assert rebar == [("配电", 1, 0.0), ("用电", 2, 0.5), ("消防", 1, 1.0)]
    assert set(result.topics) == {"钢筋班", ""}


def test_item_analysis_is_for_officers_and_admins(app, make_user, tagged):
    pages = [
        "/analytics/",
        "/analytics/tagged-bank",
        "/analytics/tagged-bank/versions/1",
        "/analytics/tagged-bank/versions/1/items.csv",
    ]
    anonymous = app.test_client()
    for url in pages:
        response = anonymous.get(url)
        assert response.status_code == 302 and "/signin" in response.location, url
    for role in ("worker", "manager"):
        client = app.test_client()
        sign_in(client, make_user(role))
        for url in pages:
            assert client.get(url).status_code == 403, (role, url)
    for role in ("officer", "admin"):
        client = app.test_client()
        sign_in(client, make_user(role))
        for url in pages:
            assert client.get(url).status_code in {200, 302}, (role, url)
        for url in (
            "/analytics/no-such-bank",
            "/analytics/no-such-bank/versions/1",
            "/analytics/tagged-bank/versions/3",
            "/analytics/tagged-bank/versions/3/items.csv",
        ):
            assert client.get(url).status_code == 404, (role, url)


def test_the_version_page_shows_items_reliability_distribution_and_weak_topics(
    client, make_user, tagged
):
    sign_in(client, make_user("officer"))
    assert client.get("/analytics/tagged-bank").location.endswith(
        "/analytics/tagged-bank/versions/2"
    )
    page = client.get("/analytics/tagged-bank/versions/1").get_data(as_text=True)
    assert "用电与消防" in page and "Version 1" in page
    assert "Reliability (KR-20)" in page and "-3.00" in page  # 3/2 × (1 − 0.75 / 0.25)
    assert "do not measure one thing consistently" in page
    assert page.count('<rect class="col"') == 10  # one bar per score band
    assert describe(Flag.FEW_RESPONSES) in page and "Few answers" in page
    assert "B ✓: 50%" in page  # e1: half picked the key …
    assert "A: 50%" in page  # … and half the first wrong choice
    assert "钢筋班" in page and "No crew" in page
    topics = page[page.index("Weak topics per crew") :]
    assert topics.index("消防") < topics.index("用电") or "消防: 0%" in topics
    assert "style=" not in page and "<script" not in page
    listing = client.get("/analytics/").get_data(as_text=True)
    assert 'href="/analytics/tagged-bank/versions/1"' in listing


def test_the_item_table_downloads_as_csv(client, make_user, tagged):
    sign_in(client, make_user("officer"))
    response = client.get("/analytics/tagged-bank/versions/1/items.csv")
    assert response.mimetype == "text/csv"
    assert "items-tagged-bank-v1.csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["question_id"] for row in rows] == ["e1", "e2", "f1"]
    assert rows[2]["true"] == "0.0" and rows[2]["false"] == "0.5" and rows[2]["A"] == ""


def test_the_cli_prints_the_item_table(runner, tagged):
    result = runner.invoke(args=["analytics", "items", "tagged-bank", "--version", "1"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == ",".join(ITEM_TABLE_COLUMNS)
    assert [line.split(",")[0] for line in lines[1:]] == ["e1", "e2", "f1"]
    assert lines[1].startswith("e1,2,0.5,")
    newest = runner.invoke(args=["analytics", "items", "tagged-bank"])
    assert [line.split(",")[:2] for line in newest.output.splitlines()[1:]] == [
        ["e1", "1"],
        ["e2", "1"],
        ["f1", "1"],
        ["f2", "1"],
    ]


def test_the_cli_names_what_it_cannot_find(runner, tagged):
    missing = runner.invoke(args=["analytics", "items", "no-such-bank"])
    assert missing.exit_code == 1 and "no bank with id 'no-such-bank'" in missing.output
    version = runner.invoke(args=["analytics", "items", "tagged-bank", "--version", "9"])
    assert version.exit_code == 1 and "has no version 9" in version.output


def finish(bank, person, picks):
    """A finished attempt of `person` with these selections."""
    attempt = quiz_services.start_attempt(person, bank)
    for question_id, selected in picks.items():
        quiz_services.save_answer(attempt, question_id, selected)
    quiz_services.submit_attempt(attempt)
    db.session.commit()


def finished_figure(page: str) -> str:
    start = page.index("Finished attempts</dt><dd>") + len("Finished attempts</dt><dd>")
    return page[start : page.index("</dd>", start)]


def test_the_page_shows_its_stored_analysis_until_it_is_recalculated(
    app, client, make_user, monkeypatch
):
    bank = store(TAGGED.format(extra="")).bank
    finish(bank, make_user(), {"e1": ["B"]})
    sign_in(client, make_user("officer"))
    url = "/analytics/tagged-bank/versions/1"
    first = client.get(url).get_data(as_text=True)
    assert finished_figure(first) == "1" and "finished since" not in first

    finish(bank, make_user(), {"e1": ["A"]})

    def no_recomputing(version):
        raise AssertionError("the stored analysis should have been shown")

    with monkeypatch.context() as patched:
        patched.setattr(queries, "analyse_version", no_recomputing)
        stored = client.get(url).get_data(as_text=True)
        csv_rows = list(csv.DictReader(io.StringIO(client.get(f"{url}/items.csv").text)))
    assert finished_figure(stored) == "1"
    assert "1 more attempt has finished since." in stored
    assert csv_rows[0]["n"] == "1"  # the download is the analysis the page shows

    response = client.post(f"{url}/recalculate")
    assert response.status_code == 302 and response.location.endswith(url)
    fresh = client.get(url).get_data(as_text=True)
    assert finished_figure(fresh) == "2" and "finished since" not in fresh
    assert "The analysis was calculated again." in fresh


def test_a_stored_analysis_older_than_the_setting_is_computed_again(app, client, make_user):
    app.config["ITEM_ANALYSIS_MAX_AGE_SECONDS"] = 0
    bank = store(TAGGED.format(extra="")).bank
    finish(bank, make_user(), {"e1": ["B"]})
    sign_in(client, make_user("officer"))
    url = "/analytics/tagged-bank/versions/1"
    assert finished_figure(client.get(url).get_data(as_text=True)) == "1"
    finish(bank, make_user(), {"e1": ["A"]})
    assert finished_figure(client.get(url).get_data(as_text=True)) == "2"
    assert db.session.scalar(select(func.count(ItemAnalysisSnapshot.id))) == 1


def csrf_token(html: str) -> str:
    """The CSRF token a page's form carries."""
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def test_recalculating_needs_the_csrf_token(make_app, make_user):
    bank = store(TAGGED.format(extra="")).bank
    finish(bank, make_user(), {"e1": ["B"]})
    employee_no = make_user("officer").employee_no
    db.session.rollback()  # this app's SQLite transaction would hold the other app's writes up
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    token = csrf_token(client.get("/signin").get_data(as_text=True))
    client.post(
        "/signin", data={"employee_no": employee_no, "password": PASSWORD, "csrf_token": token}
    )
    url = "/analytics/tagged-bank/versions/1"
    assert client.post(f"{url}/recalculate").status_code == 400
    db.session.rollback()
    assert db.session.scalar(select(func.count(ItemAnalysisSnapshot.id))) == 0
    db.session.rollback()  # outside a request this took SQLite's write lock
    token = csrf_token(client.get(url).get_data(as_text=True))  # the view stores one
    recalculated = client.post(f"{url}/recalculate", data={"csrf_token": token})
    assert recalculated.status_code == 302


def test_the_cli_refreshes_analyses_that_attempts_have_finished_since(runner, make_user):
    bank = store(TAGGED.format(extra="")).bank
    finish(bank, make_user(), {"e1": ["B"]})
    first = runner.invoke(args=["analytics", "refresh"])
    assert first.exit_code == 0, first.output
    assert "tagged-bank v1: 1 attempts" in first.output
    assert "1 analyses recalculated" in first.output
    again = runner.invoke(args=["analytics", "refresh"])
    assert "0 analyses recalculated" in again.output
    finish(bank, make_user(), {"e1": ["A"]})
    later = runner.invoke(args=["analytics", "refresh", "tagged-bank"])
    assert "tagged-bank v1: 2 attempts" in later.output
    missing = runner.invoke(args=["analytics", "refresh", "no-such-bank"])
    assert missing.exit_code == 1 and "no bank with id 'no-such-bank'" in missing.output


def test_recalculating_reads_the_answers_without_holding_the_write_lock(tmp_path):
    # On SQLite a transaction begun IMMEDIATE holds the write lock: reading every answer in
    # one would hold up every answer saved meanwhile. Only the short store may take it.
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'lock.sqlite'}",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "BABEL_DEFAULT_LOCALE": "en",
        }
    )
    with app.app_context():
        db.create_all()
        bank = store(TAGGED.format(extra="")).bank
        worker, _ = create_user("W1", "张伟", "worker", password=PASSWORD)
        create_user("O1", "李娜", "officer", password=PASSWORD)
        db.session.commit()
        finish(bank, worker, {"e1": ["B"]})
        db.session.remove()
    client = app.test_client()
    client.post("/signin", data={"employee_no": "O1", "password": PASSWORD})
    statements: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    url = "/analytics/tagged-bank/versions/1"
    assert client.post(f"{url}/recalculate").status_code == 302
    begins = [i for i, s in enumerate(statements) if s.startswith("BEGIN")]
    reading = next(i for i, s in enumerate(statements) if "UNION ALL" in s)
    storing = next(i for i, s in enumerate(statements) if s.startswith("INSERT INTO item_analysis"))
    assert statements[max(i for i in begins if i < reading)] == "BEGIN"
    assert statements[max(i for i in begins if i < storing)] == "BEGIN IMMEDIATE"
    with app.app_context():
        assert db.session.scalar(select(func.count(ItemAnalysisSnapshot.id))) == 1
        db.engine.dispose()


def test_flags_are_explained_in_the_readers_language(client, make_user, tagged):
    sign_in(client, make_user("officer"))
    client.get("/language/zh_CN")
    page = client.get("/analytics/tagged-bank/versions/1").get_data(as_text=True)
    assert "目前作答少于 20 次，这些统计数据还不可靠。" in page
    assert describe(Flag.FEW_RESPONSES) not in page
    assert describe(Flag.FEW_RESPONSES) == (
        "Fewer than 20 answers so far, so these statistics are unreliable."
    )
