"""The Chinese interface: every text translated, and the pages speak the worker's language.

The catalogue is checked against the texts the code has now (extracted afresh, as
`make messages` does), so a text added without its translation fails here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import sign_in

ROOT = Path(__file__).resolve().parent.parent
# Babel's name for zh_CN, under which Flask-Babel looks for the catalogue.
CATALOGUE = ROOT / "quizapp" / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")


def read(path: Path):
    with path.open("rb") as file:
        return read_po(file)


@pytest.fixture(scope="module")
def chinese():
    return read(CATALOGUE)


def ids(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def translations(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def test_every_text_of_the_code_has_a_chinese_translation(chinese, tmp_path):
    template = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [pybabel, "extract", "-F", "babel.cfg", "-k", "_l", "-k", "N_", "-o", template, "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    wanted = [message for message in read(template) if message.id]
    assert len(wanted) > 300
    missing, bad = [], []
    for message in wanted:
        translated = chinese.get(message.id)
        if translated is None or translated.fuzzy or not all(translations(translated)):
            missing.append(ids(message)[0])
            continue
        # Chinese has one plural form; it carries the plural's placeholders.
        english = set(PLACEHOLDER.findall(ids(message)[-1]))
        if any(set(PLACEHOLDER.findall(text)) != english for text in translations(translated)):
            bad.append(ids(message)[0])
    assert missing == [], "untranslated (run `make messages` and translate the .po)"
    assert bad == [], "placeholders differ from the English"


def test_the_catalogue_has_chinese_plural_rules(chinese):
    assert (chinese.locale.language, chinese.locale.territory) == ("zh", "CN")
    assert chinese.num_plurals == 1


@pytest.fixture
def chinese_app(app):
    """The app as shipped: Chinese unless the person or their browser asks otherwise."""
    app.config["BABEL_DEFAULT_LOCALE"] = "zh_CN"
    return app


def test_the_sign_in_page_is_chinese_by_default(chinese_app, chinese):
    page = chinese_app.test_client().get("/signin").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page
    for text in ("Sign in", "Employee number", "Password"):
        assert chinese.get(text).string in page
    assert ">Sign in<" not in page


def test_an_english_browser_gets_english_and_a_choice_sticks(chinese_app, chinese):
    client = chinese_app.test_client()
    english = client.get("/signin", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert '<html lang="en">' in english.get_data(as_text=True)
    assert ">Sign in<" in english.get_data(as_text=True)

    client.get("/language/zh_CN")
    chosen = client.get("/signin", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert chinese.get("Sign in").string in chosen


def test_a_workers_pages_are_chinese(chinese_app, chinese, make_user):
    client = chinese_app.test_client()
    sign_in(client, make_user())
    page = client.get("/quizzes", follow_redirects=True).get_data(as_text=True)
    for text in ("Quizzes", "History", "Sign out"):
        assert chinese.get(text).string in page
