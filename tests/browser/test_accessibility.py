"""The worker's pages against WCAG 2.2 AA: axe-core finds nothing serious or critical, the pages
reflow at 200 % zoom and on a 320 px screen, targets are at least 44 px, focus is visible, and
the question can be read aloud in the bank's language."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AXE, sign_in, start_quiz, wait_until_stored

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def serious_violations(page) -> list[str]:
    """What axe-core finds serious or critical on the page as it is now."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def walk_worker_pages(page, site, visit) -> None:
    """Sign in, take a quiz and submit it, calling `visit(name)` on every page and state."""
    worker = site.worker()
    site.bank(time_limit="10m", pass_score=50)
    page.goto(site.url + "/signin")
    visit("signin")
    sign_in(page, site, worker)
    visit("quizzes")
    attempt = start_quiz(page)
    visit("question")
    page.locator("label.choice", has_text="迅速切断电源").click()
    wait_until_stored(page)
    page.context.set_offline(True)
    page.get_by_role("button", name="Next").click()
    page.locator("label.choice", has_text="总配电箱").click()
    expect(page.locator(".net")).not_to_be_empty()
    visit("question-drawn-by-script-offline")
    page.get_by_role("button", name="Overview").click()
    visit("overview-drawn-by-script-offline")
    page.context.set_offline(False)
    wait_until_stored(page)
    page.goto(f"{site.url}/attempts/{attempt}/overview")
    visit("overview")
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url(re.compile(r"/result$"))
    visit("result")
    for path in ("/history", "/practice/demo-bank", "/stars", "/competitions/"):
        page.goto(site.url + path)
        visit(path.strip("/").replace("/", "-"))
    # Chinese, the default language, has shorter words: the menu's 测验 is two characters.
    page.goto(site.url + "/language/zh_CN")
    for path in ("/quizzes", "/history", "/practice/demo-bank"):
        page.goto(site.url + path)
        visit(path.strip("/").replace("/", "-") + "-zh")


#: Every page and state `walk_worker_pages` visits.
WORKER_PAGES = 14


LAYOUT_PROBLEMS = """() => {
  const out = [];
  if (document.documentElement.scrollWidth > innerWidth) out.push('scrolls sideways');
  for (const el of document.querySelectorAll('a, button, input, select, label.choice')) {
    if (el.closest('label.choice') && el.tagName === 'INPUT') continue;
    if (el.type === 'hidden' || !el.getClientRects().length) continue;
    const box = el.getBoundingClientRect();
    if (box.width < 44 || box.height < 44)
      out.push(`${el.tagName} "${el.textContent.trim()}" is ${box.width | 0}×${box.height | 0}`);
  }
  return out;
}"""


@pytest.mark.parametrize(
    ("kind", "size", "checks"),
    [
        ("phone", None, {"axe", "layout", "320"}),
        ("desktop", None, {"axe"}),
        ("desktop", {"width": 640, "height": 400}, {"layout"}),  # 1280 × 800 at 200 % zoom
    ],
    ids=["phone", "desktop", "desktop-zoom-200"],
)
def test_worker_pages_pass_axe_reflow_and_keep_targets_large(open_page, site, kind, size, checks):
    # axe is injected as a script, which the Content Security Policy rightly forbids.
    page = open_page(kind, bypass_csp=True, **({"viewport": size} if size else {}))
    found = {}

    def visit(name: str) -> None:
        page.shot(name)
        problems = serious_violations(page) if "axe" in checks else []
        if "layout" in checks:
            problems += page.evaluate(LAYOUT_PROBLEMS)
        if "320" in checks:  # WCAG's reflow width: nothing may need sideways scrolling
            before = page.viewport_size
            page.set_viewport_size({"width": 320, "height": 568})
            if page.evaluate("document.documentElement.scrollWidth > innerWidth"):
                problems.append("scrolls sideways at 320 px")
            page.set_viewport_size(before)
        found[name] = problems

    walk_worker_pages(page, site, visit)
    assert len(found) == WORKER_PAGES
    assert not any(found.values()), {name: v for name, v in found.items() if v}


def test_keyboard_focus_is_always_visible_on_the_question(open_page, site):
    worker = site.worker()
    site.bank()
    page = open_page("phone")
    sign_in(page, site, worker)
    start_quiz(page)
    seen = []
    while len(seen) < 20:
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
              const el = document.activeElement;
              if (el === document.body) return null;
              const ring = el.closest('label.choice') || el;
              const style = getComputedStyle(ring);
              return [el.tagName + ' ' + (el.value || el.textContent.trim()),
                      style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2];
            }"""
        )
        if focused is None:  # past the last control
            break
        if focused[0].startswith("INPUT"):
            page.shot("focus-on-a-choice")
        seen.append(focused)
    assert [name for name, _ in seen if name.startswith("INPUT")] == ["INPUT A"]  # one group
    assert all(visible for _, visible in seen), [s for s in seen if not s[1]]


def test_read_aloud_speaks_question_and_choices_in_the_banks_language(open_page, site):
    worker = site.worker()
    site.bank()
    page = open_page("phone")
    page.add_init_script(
        "window.spoken = [];speechSynthesis.speak = u => window.spoken.push([u.text, u.lang]);"
    )
    sign_in(page, site, worker)
    start_quiz(page)

    page.get_by_role("button", name="Read aloud").click()

    assert page.evaluate("window.spoken") == [
        ["发现有人触电，首先应当怎么做？", "zh-CN"],
        ["A. 立即用手把人拉开", "zh-CN"],
        ["B. 迅速切断电源", "zh-CN"],
        ["C. 用湿木棍挑开电线", "zh-CN"],
    ]
    page.get_by_role("button", name="Next").click()  # the script draws the next question
    page.get_by_role("button", name="Read aloud").click()
    assert page.evaluate("window.spoken")[4] == ["三级配电包括哪些？", "zh-CN"]


def test_read_aloud_is_hidden_where_the_browser_cannot_speak(open_page, site):
    worker = site.worker()
    site.bank()
    page = open_page("phone")
    page.add_init_script(
        "Object.defineProperty(window, 'speechSynthesis', {get: () => undefined});"
    )
    sign_in(page, site, worker)
    start_quiz(page)
    expect(page.locator(".speak")).to_be_hidden()
    page.get_by_role("button", name="Next").click()
    expect(page.locator("h1")).to_have_text("Question 2 of 3")
    expect(page.locator(".speak")).to_be_hidden()
