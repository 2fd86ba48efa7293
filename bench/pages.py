"""Page weight and time to interactive, in headless Chromium through Playwright.

A fresh SQLite database with the demo banks and people (`flask db upgrade` + `flask demo`),
quizapp under gunicorn, then demo worker W1001:

page.<name>_kb_raw   bytes of every response the page loads (HTML, CSS, JS, images), with a
                     cold cache, as served; <name> is signin, quiz (a question page) or result
page.<name>_kb_gzip  the same bytes gzipped (level 6), one by one: what they would weigh if
                     the server (or a proxy in front) compressed them
page.offorigin_requests  requests to any origin other than the app's, over all three pages
page.tti_s           median of `--runs` cold loads of the quiz page with the network throttled
                     to 400 kbit/s each way and 400 ms round trips (CDP
                     Network.emulateNetworkConditions): from navigation to the load event
                     having fired *and* the first choice being actionable (visible, enabled,
                     receiving clicks: Playwright's trial click). quiz.js is deferred, so it
                     has run by the load event.
page.tti_cpu4x_s     the same with the CPU slowed 4x (Emulation.setCPUThrottlingRate), closer
                     to a cheap phone

    .venv/bin/python bench/pages.py [--runs 3]
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import APP_ROOT, RESULTS, VENV_BIN, Gunicorn, app_env, figure  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DEMO_WORKER = ("W1001", "anquan-2026")
THROTTLE = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400 * 1000 / 8,
    "uploadThroughput": 400 * 1000 / 8,
}


def prepare_database() -> str:
    """A fresh SQLite database with the demo banks and people; returns its URL."""
    path = RESULTS / "pages.sqlite"
    RESULTS.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    env = {**__import__("os").environ, **app_env(url)}
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run(  # noqa: S603 — fixed command line
            [str(VENV_BIN / "flask"), "--app", "wsgi", *command],
            env=env,
            cwd=APP_ROOT,
            check=True,
            capture_output=True,
        )
    return url


class Weigher:
    """Records every response of a page load in a fresh context, and every foreign request."""

    def __init__(self, browser, base: str, state: dict | None):
        self.browser = browser
        self.base = base
        self.state = state
        self.foreign: list[str] = []

    def weigh(self, url: str) -> tuple[int, int, list[str]]:
        """Raw and gzipped bytes of everything loading `url` fetches with a cold cache."""
        context = self.browser.new_context(storage_state=self.state)
        page = context.new_page()
        responses = []
        page.on("request", self._check_origin)
        page.on("response", lambda response: responses.append(response))
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        raw = packed = 0
        names = []
        for response in responses:
            if response.status in (301, 302, 303, 307, 308):
                continue
            body = response.body()
            raw += len(body)
            packed += len(gzip.compress(body, 6))
            names.append(f"{urlsplit(response.url).path} {len(body)} B")
        context.close()
        return raw, packed, names

    def _check_origin(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if f"{parts.scheme}://{parts.netloc}" != self.base:
            self.foreign.append(request.url)


def sign_in_and_open_quizzes(browser, base: str):
    """Sign the demo worker in; return the context (left open) and a quiz question URL and a
    result URL, for two different banks."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/signin")
    page.fill("input[name=employee_no]", DEMO_WORKER[0])
    page.fill("input[name=password]", DEMO_WORKER[1])
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/quizzes*")
    starts = page.locator("form[action$='/start'] button")
    if starts.count() < 2:
        raise RuntimeError("the demo worker's quiz list has fewer than two quizzes to start")
    # One attempt is submitted for the result page; another stays open for the question page.
    starts.nth(0).click()
    page.wait_for_url("**/questions/*")
    attempt_path = urlsplit(page.url).path.rsplit("/questions/", 1)[0]
    page.goto(f"{base}{attempt_path}/overview")
    page.click("form[action$='/submit'] button")
    page.wait_for_url("**/result")
    result_url = page.url
    page.goto(f"{base}/quizzes")
    page.locator("form[action$='/start'] button").first.click()
    page.wait_for_url("**/questions/*")
    return context, page.url, result_url


def time_to_interactive(browser, url: str, state: dict, cpu_slowdown: float = 1.0) -> float:
    """Seconds from navigation to load event + first choice actionable, throttled, cold."""
    context = browser.new_context(storage_state=state)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", THROTTLE)
    if cpu_slowdown != 1.0:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu_slowdown})
    started = time.perf_counter()
    page.goto(url, wait_until="load", timeout=60_000)
    choice = page.locator("input[name=choice]").first
    choice.wait_for(state="visible")
    choice.click(trial=True)
    elapsed = time.perf_counter() - started
    context.close()
    return elapsed


def main(argv: list[str] | None = None) -> None:
    """Measure and print the page figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    url = prepare_database()
    with (
        Gunicorn(
            "wsgi:app", env=app_env(url), workers=2, threads=8, log=RESULTS / "pages.log"
        ) as server,
        sync_playwright() as playwright,
    ):
        base = f"http://127.0.0.1:{server.port}"
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        anonymous = Weigher(browser, base, None)
        signin = anonymous.weigh(f"{base}/signin")
        context, quiz_url, result_url = sign_in_and_open_quizzes(browser, base)
        state = context.storage_state()
        context.close()
        signed_in = Weigher(browser, base, state)
        quiz = signed_in.weigh(quiz_url)
        result = signed_in.weigh(result_url)
        tti = [time_to_interactive(browser, quiz_url, state) for _ in range(args.runs)]
        tti_cpu = [time_to_interactive(browser, quiz_url, state, 4.0) for _ in range(args.runs)]
        browser.close()

    for name, (raw, _packed, names) in (("signin", signin), ("quiz", quiz), ("result", result)):
        print(f"# {name} page: {', '.join(names)}; raw {raw} B", flush=True)
    print(
        f"# quiz page TTI runs: {', '.join(f'{t:.2f}' for t in tti)} s; "
        f"with CPU 4x slower: {', '.join(f'{t:.2f}' for t in tti_cpu)} s",
        flush=True,
    )
    foreign = anonymous.foreign + signed_in.foreign
    for request in foreign[:10]:
        print(f"# off-origin request: {request}", flush=True)
    figure("page.signin_kb_raw", signin[0] / 1024, "KiB")
    figure("page.signin_kb_gzip", signin[1] / 1024, "KiB")
    figure("page.quiz_kb_raw", quiz[0] / 1024, "KiB")
    figure("page.quiz_kb_gzip", quiz[1] / 1024, "KiB")
    figure("page.result_kb_raw", result[0] / 1024, "KiB")
    figure("page.result_kb_gzip", result[1] / 1024, "KiB")
    figure("page.offorigin_requests", len(foreign), "requests")
    figure("page.tti_s", statistics.median(tti), "s")
    figure("page.tti_cpu4x_s", statistics.median(tti_cpu), "s")


if __name__ == "__main__":
    main()
