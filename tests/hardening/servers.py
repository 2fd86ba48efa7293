"""Real servers for the crash and scale tests.

gunicorn runs in a process group of its own, so that one signal reaches the master and every
worker; a `Browser` is a phone made of http.client with its own cookies and CSRF token; the
app's own code and CLI set up the database the way an operator would.
"""

from __future__ import annotations

import contextlib
import html
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[2]
#: gunicorn and flask live next to the Python that runs the tests (.venv/bin).
BIN = Path(sys.executable).parent
#: Settings read by quizapp/config.py: a test server gets exactly the ones its test gives,
#: never ones that leak in from the environment pytest runs in.
APP_SETTINGS = (
    "DATABASE_URL",
    "SECRET_KEY",
    "REDIS_URL",
    "RATELIMIT_ENABLED",
    "RATELIMIT_KEY_PREFIX",
    "SIGNIN_LIMIT_PER_ADDRESS",
    "SIGNIN_LIMIT_PER_ACCOUNT",
    "SQLITE_SYNCHRONOUS",
    "SQLITE_BUSY_TIMEOUT_SECONDS",
    "SESSION_IDLE_MINUTES",
    "SESSION_ABSOLUTE_HOURS",
    "SESSION_COOKIE_SECURE",
    "ANSWER_GRACE_SECONDS",
    "OFFLINE_WINDOW_SECONDS",
)
#: How long a server may take to answer its health check after starting, on a busy machine.
START_TIMEOUT = 30.0
PASSWORD = "anquan-test-2026"


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(**settings: str) -> dict[str, str]:
    """The environment for the app's processes: this one, minus app settings, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if k not in APP_SETTINGS and k != "FLASK_APP"}
    env.update(settings)
    return env


def flask_cli(env: dict[str, str], *args: str) -> str:
    """Run `flask --app wsgi ARGS` as an operator would; return its output or fail loudly."""
    done = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if done.returncode != 0:
        raise AssertionError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


class Server:
    """One gunicorn instance of the app on a free loopback port."""

    def __init__(self, env: dict[str, str], log: Path, *, workers: int = 2, threads: int = 4):
        self.env, self.log, self.workers, self.threads = env, log, workers, threads
        self.process: subprocess.Popen | None = None
        self.port = 0

    @property
    def url(self) -> str:
        """Where this instance listens."""
        return f"http://127.0.0.1:{self.port}"

    def launch(self) -> Server:
        """Start gunicorn in a new process group (without waiting for it to answer)."""
        self.port = free_port()
        command = [
            str(BIN / "gunicorn"),
            f"--workers={self.workers}",
            f"--threads={self.threads}",
            f"--bind=127.0.0.1:{self.port}",
            "--timeout=30",
            "wsgi:app",
        ]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def wait_ready(self) -> Server:
        """Wait until /healthz answers 200; fail with the server's log if it never does."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if Browser(self.url).get("/healthz", timeout=2).status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        self.kill()
        raise AssertionError(f"gunicorn did not start:\n{self.log.read_text()[-3000:]}")

    def start(self) -> Server:
        """Launch and wait until ready."""
        return self.launch().wait_ready()

    def kill(self) -> None:
        """SIGKILL the master and every worker at once, as a crash or the OOM killer would."""
        if self.process is None or self.process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and self.alive_in_group():
            time.sleep(0.05)

    def alive_in_group(self) -> bool:
        """Whether any process of this server's group still runs (zombies do not count)."""
        pgid = self.process.pid
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                return True
        return False


@dataclass
class Response:
    """What came back for one request."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        """The body as text."""
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        """The path a redirect leads to."""
        return urlsplit(self.headers.get("Location", "")).path

    def json(self):
        """The body as JSON."""
        return json.loads(self.body)


class Browser:
    """A phone's browser: cookies and the CSRF token of the last page, one request at a time.

    Cookies are kept per browser, not per port, as real browsers keep them for a host, so the
    same session reaches every instance behind one address.
    """

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def copy(self) -> Browser:
        """A second tab of this browser."""
        other = Browser(self.base_url)
        other.cookies, other.csrf = dict(self.cookies), self.csrf
        return other

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        base: str | None = None,
        timeout: float = 15,
    ) -> Response:
        """Send one request, keep the cookies it sets and the CSRF token of its page."""
        target = urlsplit(base or self.base_url)
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=timeout)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=headers)
            reply = connection.getresponse()
            response = Response(reply.status, reply.headers, reply.read())
        finally:
            connection.close()
        self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
        token = re.search(r'<meta name="csrf-token" content="([^"]+)"', response.text)
        if token:
            self.csrf = html.unescape(token.group(1))
        return response

    def _keep_cookies(self, headers: Iterable[str]) -> None:
        for header in headers:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def get(self, path: str, **options) -> Response:
        """GET `path`."""
        return self.request("GET", path, **options)

    def post_form(self, path: str, data: dict[str, str] | None = None, **options) -> Response:
        """POST a form with the CSRF token of the last page, as the page's form would."""
        fields = {"csrf_token": self.csrf, **(data or {})}
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        body = urlencode(fields).encode()
        return self.request("POST", path, body=body, headers=headers, **options)

    def post_json(self, path: str, payload, **options) -> Response:
        """POST JSON with the X-CSRFToken header, as quiz.js does."""
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "X-CSRFToken": self.csrf,
        }
        body = json.dumps(payload).encode()
        return self.request("POST", path, body=body, headers=headers, **options)

    def sign_in(self, employee_no: str, password: str = PASSWORD, **options) -> Response:
        """Sign in through the form; afterwards the browser holds the new session's token."""
        self.get("/signin", **options)
        response = self.post_form(
            "/signin", {"employee_no": employee_no, "password": password}, **options
        )
        if response.status == 302:
            self.get("/quizzes", **options)  # the session was renewed: so was its CSRF token
        return response


def checked_choices(page: str) -> set[str]:
    """The values of the choice inputs a question page shows as checked."""
    inputs = re.findall(r"<input\b[^>]*>", page)
    return {
        re.search(r'value="([^"]*)"', tag).group(1)
        for tag in inputs
        if 'name="choice"' in tag and re.search(r"\schecked\b", tag)
    }


def seconds_left_on(page: str) -> int:
    """The seconds left that the page's countdown starts from."""
    return int(re.search(r'data-seconds-left="(\d+)"', page).group(1))


def question_order(page: str) -> list[str]:
    """The question ids of an attempt in the order its pages show them."""
    return json.loads(html.unescape(re.search(r"data-order='([^']*)'", page).group(1)))


def bank_yaml(bank_id: str, questions: int, time_limit: str = "10m") -> str:
    """A timed bank of single-choice questions; question qN's key is `answer_key(N)`."""
    lines = [
        f"id: {bank_id}",
        "title: 施工现场临时用电（测试）",
        "language: zh-CN",
        "quiz:",
        f"  time_limit: {time_limit}",
        "  pass_score: 60",
        "questions:",
    ]
    for n in range(1, questions + 1):
        lines += [
            f"  - id: q{n}",
            f"    text: 第{n}题：下列哪一项符合临时用电安全规范？",
            "    choices:",
            "      A: 开关箱一机一闸一漏保",
            "      B: 电线拖地经过通道",
            "      C: 用铜丝代替保险丝",
            "      D: 湿手操作开关",
            f"    answer: {answer_key(n)}",
        ]
    return "\n".join(lines) + "\n"


def answer_key(n: int) -> str:
    """The right letter of question qN of `bank_yaml`."""
    return "ABCD"[n % 4]


def seed(
    database_url: str, bank_text: str, workers: Iterable[str], *, create_tables: bool = False
) -> None:
    """Store the bank and create the workers through the app's own services, then let go.

    The tables come from `flask db upgrade` beforehand, or from the models (`create_tables`).
    """
    from quizapp import create_app
    from quizapp.auth.services import create_user
    from quizapp.banks.format import parse_bank
    from quizapp.banks.services import store_bank
    from quizapp.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "seed-only",
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    with app.app_context():
        try:
            if create_tables:
                db.create_all()
            store_bank(parse_bank(bank_text.encode(), "bank.yaml"), bank_text, "bank.yaml")
            for employee_no in workers:
                create_user(
                    employee_no,
                    f"工人{employee_no}",
                    "worker",
                    password=PASSWORD,
                    crew_name="钢筋一班",
                    site_name="东湖项目部",
                )
            db.session.commit()
        finally:
            db.session.remove()
            db.engine.dispose()
