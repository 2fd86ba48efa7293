"""Report pages issue a fixed, small number of SQL statements, however many workers there are."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event

from quizapp.assignments import services as assignment_services
from quizapp.banks.models import Bank
from quizapp.database import utcnow
from quizapp.extensions import db
from tests.conftest import sign_in
from tests.reports.conftest import crew, site

#: A page may use this many statements at most (signing in, filters, figures, trend …).
BUDGET = 12


@contextmanager
def counted():
    """Count the statements sent to the database inside the block."""
    statements: list[str] = []

    def note(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def statements_for(client, url: str) -> int:
    """How many statements one request for `url` makes, starting from an empty session."""
    db.session.remove()
    with counted() as statements:
        assert client.get(url).status_code == 200, url
    return len(statements)


def test_pages_cost_the_same_with_5_and_50_workers(client, person, make_bank, take):
    bank_id = make_bank(max_attempts=3).id
    officer = person("officer")

    def hire(count: int) -> None:
        bank = db.session.get(Bank, bank_id)
        for index in range(count):
            worker = person("worker", ("钢筋班", "木工班")[index % 2], "东湖")
            db.session.commit()
            take(worker, bank, passed=index % 3 != 0, days_ago=index % 40 + 1)

    hire(5)
    bank = db.session.get(Bank, bank_id)
    assignment_services.create_assignment(
        bank, due_at=utcnow() + timedelta(days=5), site=site("东湖"), valid_for_days=30
    )
    assignment_services.create_assignment(
        bank, due_at=utcnow() - timedelta(days=5), crews=[crew("木工班")]
    )
    db.session.commit()
    sign_in(client, officer)
    urls = ["/reports/", f"/reports/sites/{site('东湖').id}", f"/reports/crews/{crew('木工班').id}"]

    few = {url: statements_for(client, url) for url in urls}
    hire(45)
    many = {url: statements_for(client, url) for url in urls}

    assert few == many
    assert all(count <= BUDGET for count in many.values()), many
