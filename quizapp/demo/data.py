"""The demo company: two sites, four crews and one person of every role."""

from __future__ import annotations

from dataclasses import dataclass

#: Every demo account signs in with this password (printed by `make run`).
DEMO_PASSWORD = "anquan-2026"  # noqa: S105 — published demo password, by design


@dataclass(frozen=True)
class DemoPerson:
    """A demo account."""

    employee_no: str
    name: str
    role: str
    crew: str | None = None
    site: str | None = None


DEMO_PEOPLE = (
    DemoPerson("W1001", "张伟", "worker", "钢筋一班", "东湖项目部"),
    DemoPerson("W1002", "李娜", "worker", "木工一班", "东湖项目部"),
    DemoPerson("W1003", "王强", "worker", "架子工班", "西山隧道项目部"),
    DemoPerson("W1004", "刘洋", "worker", "电工班", "西山隧道项目部"),
    DemoPerson("S2001", "陈静", "officer"),
    DemoPerson("M3001", "赵磊", "manager"),
    DemoPerson("A9001", "孙敏", "admin"),
)
