"""docs/security.md names the test behind each defence: each must exist, unless marked planned."""

from __future__ import annotations

import ast
import re

import pytest

from tests.hardening.servers import ROOT

pytestmark = pytest.mark.security

NAMED = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)`")


def test_every_test_named_in_the_threat_model_exists_or_is_planned():
    text = (ROOT / "docs" / "security.md").read_text()
    missing = []
    for match in NAMED.finditer(text):
        if "planned" in text[max(0, match.start() - 40) : match.start()]:
            continue
        path, name = ROOT / match.group(1), match.group(2)
        tree = ast.parse(path.read_text()) if path.exists() else ast.Module(body=[])
        defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
        if name not in defined:
            missing.append(f"{match.group(1)}::{name}")
    assert missing == []
