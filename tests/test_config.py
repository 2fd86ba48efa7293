"""Settings from the environment, including those whose defaults live beside their code."""

from __future__ import annotations

from quizapp.auth import kiosk


def test_optional_settings_come_from_the_environment(make_app, monkeypatch):
    monkeypatch.setenv("CJK_FONT_PATH", "/srv/fonts/wqy-microhei.ttc")
    monkeypatch.setenv("KIOSK_IDLE_SECONDS", "45")
    monkeypatch.setenv("CARD_LIMIT_PER_ADDRESS", "200 per minute")
    config = make_app().config
    assert config["CJK_FONT_PATH"] == "/srv/fonts/wqy-microhei.ttc"
    assert config["KIOSK_IDLE_SECONDS"] == 45
    assert config["CARD_LIMIT_PER_ADDRESS"] == "200 per minute"


def test_unset_optional_settings_leave_the_codes_defaults(make_app, monkeypatch):
    for name in ("CJK_FONT_PATH", "KIOSK_IDLE_SECONDS", "KIOSK_RESULT_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    config = make_app().config
    assert "CJK_FONT_PATH" not in config
    assert config.get("KIOSK_IDLE_SECONDS", kiosk.DEFAULT_IDLE_SECONDS) == 120
