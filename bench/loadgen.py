"""The load generator of the shift-start rush: a process of its own, driven by bench/rush.py.

One asyncio loop plays every worker, each with its own keep-alive connection, cookies and
CSRF token, speaking plain HTTP/1.1 to 127.0.0.1 (no third-party client). It reads a JSON
plan from a file and writes raw measurements as JSON to another; rush.py turns them into
figures.

Phases:
1. sign-in: a sample of the workers (`signin_employee_nos`) opens the sign-in page and posts
   number, password and CSRF token, `signin_concurrency` at a time: password hashing is
   CPU-bound, so this finds the sign-in rate. The other workers arrive with the session
   cookie a sign-in would have given them (minted by rush.py through the app's own
   login_user), as phones still signed in from an earlier shift do.
2. the reserved workers open the quiz list and start their attempts (not measured).
3. the rush: worker i arrives at i x ramp / N seconds, opens the quiz list, starts an attempt
   (POST /quizzes/<slug>/start), follows the redirects to its first question, then saves
   every question's answer through the JSON endpoint, each after a think time drawn
   uniformly from [think_min, think_max], and submits (then opens the result page).
4. save capacity: the reserved workers save answers back to back, no think time, for
   `saturate_s` seconds; then the same number of connections post the same JSON to the
   bare Flask app (bench/bare_app.py) for as long. Their ratio is rush.ratio_to_bare.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

CSRF_META = re.compile(rb'<meta name="csrf-token" content="([^"]+)"')
CSRF_INPUT = re.compile(
    rb'name="csrf_token" type="hidden" value="([^"]+)"|'
    rb'type="hidden" name="csrf_token" value="([^"]+)"|'
    rb'name="csrf_token"[^>]*value="([^"]+)"'
)
ATTEMPT_PATH = re.compile(r"/attempts/(\d+)")
QUESTION_PATH = re.compile(r"/attempts/\d+/questions/\d+$")
#: Sent with every request; rush.py mints sessions for the same agent and address.
USER_AGENT = "quizapp-bench/1 (Linux; Android 10)"


@dataclass
class Response:
    """What came back: status, headers (lower-case names; Set-Cookie as a list), body."""

    status: int
    headers: dict[str, str]
    cookies: list[str]
    body: bytes


class Closed(Exception):
    """The server closed a kept-alive connection before answering."""


class Client:
    """One virtual phone: one keep-alive connection, its cookies and its CSRF token."""

    def __init__(self, port: int, stats: Stats):
        self.port = port
        self.stats = stats
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        """Close the connection, if open."""
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes = b"",
        content_type: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """Send one request on the kept-alive connection (reopened if the server closed it)."""
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        lines.append("Accept-Language: zh-CN,zh;q=0.9")
        lines.append(f"User-Agent: {USER_AGENT}")
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if content_type:
            lines.append(f"Content-Type: {content_type}")
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        for attempt in range(2):
            reused = self.writer is not None
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            try:
                self.writer.write(raw)
                await self.writer.drain()
                response = await self._read()
            except (Closed, ConnectionError) as error:
                await self.close()
                # Only a kept-alive connection the server closed while idle is retried: the
                # request never reached the application, so resending it is safe.
                if reused and attempt == 0:
                    self.stats.reconnects += 1
                    continue
                raise ConnectionError(str(error)) from error
            for cookie in response.cookies:
                name, _, rest = cookie.partition("=")
                value = rest.split(";", 1)[0]
                lowered = cookie.lower()
                expired = "expires=thu, 01 jan 1970" in lowered or "max-age=0" in lowered
                if expired or not value:
                    self.cookies.pop(name.strip(), None)
                else:
                    self.cookies[name.strip()] = value
            if response.headers.get("connection", "").lower() == "close":
                await self.close()
            return response
        raise AssertionError("unreachable")

    async def _read(self) -> Response:
        assert self.reader is not None
        try:
            head = await self.reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as error:
            raise Closed("connection closed") from error
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers: dict[str, str] = {}
        cookies: list[str] = []
        for line in lines[1:]:
            if not line:
                continue
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookies.append(value)
            else:
                headers[name] = value
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readline()
                    break
                parts.append(await self.reader.readexactly(size))
                await self.reader.readline()
            body = b"".join(parts)
        else:
            body = await self.reader.read()
            headers["connection"] = "close"
        return Response(status, headers, cookies, body)

    def remember_token(self, body: bytes) -> None:
        """Keep the page's CSRF token (meta tag, else hidden input)."""
        match = CSRF_META.search(body) or CSRF_INPUT.search(body)
        if match:
            self.token = next(g for g in match.groups() if g).decode()


@dataclass
class Stats:
    """Raw measurements: per kind, (completion time since t0, latency ms) pairs; errors."""

    t0: float = field(default_factory=time.perf_counter)
    samples: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    error_examples: list[str] = field(default_factory=list)
    reconnects: int = 0
    marks: dict[str, float] = field(default_factory=dict)
    #: Server name -> its worker processes, whose CPU time each mark records.
    server_pids: dict[str, list[int]] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)

    def now(self) -> float:
        """Seconds since the load generator started."""
        return time.perf_counter() - self.t0

    def mark(self, name: str) -> None:
        """Note when a phase began or ended, and how much CPU the servers had used by then."""
        self.marks[name] = self.now()
        for server, pids in self.server_pids.items():
            self.cpu[f"{server}@{name}"] = cpu_seconds(pids)

    def add(self, kind: str, started: float) -> None:
        """Record one successful request of `kind` sent at perf_counter() `started`."""
        end = time.perf_counter()
        self.samples.setdefault(kind, []).append((end - self.t0, (end - started) * 1000))

    def error(self, kind: str, detail: str) -> None:
        """Record one failed request."""
        key = f"{kind}: {detail.splitlines()[0][:120] if detail else '?'}"
        self.errors[key] = self.errors.get(key, 0) + 1
        if len(self.error_examples) < 20:
            self.error_examples.append(f"{kind}: {detail[:400]}")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds used so far by these processes (same machine)."""
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


class Worker:
    """A virtual worker: employee number, phone and, once started, an attempt."""

    def __init__(self, employee_no: str, port: int, stats: Stats, plan: dict):
        self.employee_no = employee_no
        self.client = Client(port, stats)
        self.stats = stats
        self.plan = plan
        self.attempt_id: int | None = None
        self.ok = True
        self.done = False

    async def _call(self, kind: str, method: str, path: str, expect: int, **kwargs) -> Response:
        started = time.perf_counter()
        try:
            response = await asyncio.wait_for(
                self.client.request(method, path, **kwargs), self.plan.get("request_timeout_s", 30)
            )
        except TimeoutError:
            self.stats.error(kind, "no answer within the request timeout")
            self.ok = False
            await self.client.close()
            raise
        except (OSError, asyncio.IncompleteReadError) as error:
            self.stats.error(kind, f"{type(error).__name__}: {error}")
            self.ok = False
            raise
        if response.status != expect:
            detail = f"HTTP {response.status} {response.body[:300]!r}"
            self.stats.error(kind, detail)
            self.ok = False
            raise RuntimeError(detail)
        self.stats.add(kind, started)
        return response

    def _form(self, **fields: str) -> dict:
        return {
            "body": urlencode({"csrf_token": self.client.token, **fields}).encode(),
            "content_type": "application/x-www-form-urlencoded",
        }

    async def sign_in(self) -> None:
        """Open the sign-in page and sign in with number and password."""
        page = await self._call("signin_page", "GET", "/signin", 200)
        self.client.remember_token(page.body)
        form = self._form(employee_no=self.employee_no, password=self.plan["password"])
        await self._call("signin", "POST", "/signin", 302, **form)

    async def start(self, *, kind: str = "start") -> None:
        """Open the quiz list, start an attempt at the plan's quiz, land on its first question."""
        listing = await self._call(f"{kind}_list", "GET", "/quizzes", 200)
        self.client.remember_token(listing.body)
        slug = self.plan["slug"]
        response = await self._call(kind, "POST", f"/quizzes/{slug}/start", 302, **self._form())
        location = urlsplit(response.headers.get("location", "")).path
        match = ATTEMPT_PATH.match(location)
        if not match:
            self.stats.error(kind, f"unexpected redirect to {location!r}")
            raise RuntimeError("no attempt")
        self.attempt_id = int(match.group(1))
        if not QUESTION_PATH.search(location):
            # A quizapp that redirects through the attempt's resume address first.
            resume = await self._call("page", "GET", location, 302)
            location = urlsplit(resume.headers["location"]).path
        page = await self._call("page", "GET", location, 200)
        self.client.remember_token(page.body)
        if b"/paper" in page.body or self.plan.get("paper"):
            # The quiz page's script fetches the whole paper, to move between questions
            # without the network.
            await self._call("page", "GET", f"/attempts/{self.attempt_id}/paper", 200)

    async def save(self, question: dict, rng: random.Random, *, kind: str = "save") -> None:
        """Save one answer through the page's JSON endpoint, as quiz.js sends it."""
        payload = {
            "question_id": question["id"],
            "selected": rng.choice(question["selections"]),
            "seconds_left": round(rng.uniform(60, 1000), 3),
        }
        await self._call(
            kind,
            "POST",
            f"/attempts/{self.attempt_id}/answers",
            200,
            body=json.dumps(payload).encode(),
            content_type="application/json",
            headers={"X-CSRFToken": self.client.token, "Accept": "application/json"},
        )

    async def submit(self) -> None:
        """Submit the attempt and open the result page."""
        path = f"/attempts/{self.attempt_id}/submit"
        response = await self._call("submit", "POST", path, 302, **self._form())
        await self._call("page", "GET", urlsplit(response.headers["location"]).path, 200)


async def bounded(coroutines, limit: int) -> None:
    """Run coroutines with at most `limit` at a time; their failures are already counted."""
    semaphore = asyncio.Semaphore(limit)

    async def one(coroutine):
        # Failures are recorded in Stats by Worker._call.
        async with semaphore:
            with contextlib.suppress(Exception):
                await coroutine

    await asyncio.gather(*(one(c) for c in coroutines))


async def rush(worker: Worker, arrival: float, rng: random.Random) -> None:
    """One worker's shift start: arrive, start, answer every question, submit."""
    plan = worker.plan
    delay = arrival - worker.stats.now()
    if delay > 0:
        await asyncio.sleep(delay)
    stats = worker.stats
    try:
        await worker.start()
        questions = plan["questions"][:]
        rng.shuffle(questions)
        stats.samples.setdefault("answering_from", []).append((stats.now(), 0.0))
        for question in questions:
            await asyncio.sleep(rng.uniform(plan["think_min"], plan["think_max"]))
            await worker.save(question, rng)
        stats.samples.setdefault("answering_to", []).append((stats.now(), 0.0))
        await worker.submit()
        worker.done = True
    except Exception:  # noqa: BLE001, S110 — recorded in Stats by Worker._call
        pass


async def saturate(workers: list[Worker], seconds: float, rng: random.Random) -> None:
    """Reserved workers save answers back to back for `seconds`."""
    stop = time.perf_counter() + seconds

    async def loop(worker: Worker) -> None:
        questions = worker.plan["questions"]
        i = rng.randrange(len(questions))
        while time.perf_counter() < stop:
            i = (i + 1) % len(questions)
            try:
                await worker.save(questions[i], rng, kind="save_capacity")
            except Exception:  # noqa: BLE001 — recorded in Stats by Worker._call
                await asyncio.sleep(0.05)

    await asyncio.gather(*(loop(w) for w in workers))


async def saturate_bare(port: int, connections: int, seconds: float, stats: Stats) -> None:
    """The same number of connections posting the same JSON to the bare Flask app."""
    stop = time.perf_counter() + seconds
    body = json.dumps({"question_id": "q00001", "selected": ["A"], "seconds_left": 600.0})

    async def loop() -> None:
        client = Client(port, stats)
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                response = await client.request(
                    "POST",
                    "/answers",
                    body=body.encode(),
                    content_type="application/json",
                    headers={"X-CSRFToken": "bare", "Accept": "application/json"},
                )
            except OSError as error:
                stats.error("bare", str(error))
                await client.close()
                continue
            if response.status == 200:
                stats.add("bare", started)
            else:
                stats.error("bare", f"HTTP {response.status}")
        await client.close()

    await asyncio.gather(*(loop() for _ in range(connections)))


async def drain(port: int, stats: Stats, limit: float) -> bool:
    """Wait (up to `limit` s) until the server answers /healthz within a second."""
    client = Client(port, stats)
    stop = time.perf_counter() + limit
    try:
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                await asyncio.wait_for(client.request("GET", "/healthz"), 30)
            except (TimeoutError, OSError):
                await client.close()
                continue
            if time.perf_counter() - started < 1.0:
                return True
            await asyncio.sleep(1)
        return False
    finally:
        await client.close()


async def run(plan: dict) -> dict:
    """All phases; returns the raw measurements."""
    stats = Stats(server_pids=plan.get("server_pids", {}))
    rng = random.Random(plan.get("seed", 7))
    port = plan["port"]
    numbers = plan["employee_nos"]
    reserved_count = plan["saturate_connections"]
    workers = [Worker(n, port, stats, plan) for n in numbers]
    reserved, rushers = workers[:reserved_count], workers[reserved_count:]
    sample = set(plan["signin_employee_nos"])
    for worker in workers:
        if worker.employee_no not in sample:
            worker.client.cookies.update(plan["sessions"][worker.employee_no])

    stats.mark("signin_start")
    await bounded(
        (w.sign_in() for w in workers if w.employee_no in sample), plan["signin_concurrency"]
    )
    stats.mark("signin_end")
    await bounded((w.start(kind="reserved_start") for w in reserved), 4)

    signed_in = [w for w in rushers if w.ok]
    stats.mark("rush_start")
    base = stats.now()
    ramp = plan["ramp_s"]
    count = max(len(signed_in), 1)
    rushing = asyncio.gather(
        *(
            rush(w, base + ramp * i / count, random.Random(rng.random()))
            for i, w in enumerate(signed_in)
        )
    )
    # A server that cannot keep up would keep the run going for ever: stop at the cap and
    # report the workers who had not finished.
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(rushing, plan.get("rush_cap_s", 600))
    stats.mark("rush_end")
    for w in rushers:
        await w.client.close()
    # Requests the cap abandoned are still queued in the server: let it drain before the
    # capacity phase, or that phase would measure the backlog.
    drained = await drain(port, stats, plan.get("drain_s", 60))
    stats.mark("drained")

    # A server still working off the rush's backlog has no capacity left to measure.
    ready = [w for w in reserved if w.ok and w.attempt_id is not None] if drained else []
    stats.mark("capacity_start")
    if ready:
        await saturate(ready, plan["saturate_s"], rng)
    stats.mark("capacity_end")
    if plan.get("bare_port"):
        stats.mark("bare_start")
        connections = len(ready) or plan["saturate_connections"]
        await saturate_bare(plan["bare_port"], connections, plan["saturate_s"], stats)
        stats.mark("bare_end")
    await bounded((w.submit() for w in ready), 4)
    for w in reserved:
        await w.client.close()

    return {
        "samples": stats.samples,
        "errors": stats.errors,
        "error_examples": stats.error_examples,
        "reconnects": stats.reconnects,
        "marks": stats.marks,
        "server_cpu": stats.cpu,
        "workers": len(rushers),
        "unfinished": sum(1 for w in rushers if w.ok and not w.done),
        "drained": drained,
        "signed_in": len(signed_in),
        "capacity_connections": len(ready),
        "cpu_s": time.process_time(),
    }


def main() -> None:
    """`loadgen.py PLAN.json RESULT.json`."""
    with open(sys.argv[1], encoding="utf-8") as source:
        plan = json.load(source)
    result = asyncio.run(run(plan))
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        json.dump(result, out)


if __name__ == "__main__":
    main()
