"""The JSON Schema that editors use to help bank authors while they type."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from quizapp.banks.format import BANK_KEYS, QUESTION_KEYS, QUIZ_KEYS
from quizapp.banks.schema import bank_json_schema

from .test_format import MINIMAL, VALID_BANKS, source


def load(text: str) -> object:
    """The file as an editor sees it: plain YAML data, no bank rules applied."""
    return yaml.safe_load(source(text))


def test_schema_is_plain_json_with_the_expected_top_level_keys():
    schema = bank_json_schema()

    assert json.loads(json.dumps(schema, ensure_ascii=False)) == schema
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["id", "title", "questions"]
    assert set(schema) >= {"$id", "title", "description", "properties", "$defs"}


def test_schema_names_every_key_of_the_format_and_no_other():
    schema = bank_json_schema()

    assert tuple(schema["properties"]) == BANK_KEYS
    assert tuple(schema["$defs"]["quiz"]["properties"]) == QUIZ_KEYS
    assert tuple(schema["$defs"]["question"]["properties"]) == QUESTION_KEYS
    assert schema["$defs"]["quiz"]["additionalProperties"] is False
    assert schema["$defs"]["question"]["additionalProperties"] is False


def test_every_key_has_a_description():
    schema = bank_json_schema()
    sections = [schema, schema["$defs"]["quiz"], schema["$defs"]["question"]]

    for section in sections:
        for name, rule in section["properties"].items():
            assert rule.get("description"), name


@pytest.fixture
def validator():
    """A draft 2020-12 validator of the bank schema."""
    schema = bank_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("name", list(VALID_BANKS))
def test_valid_banks_match_the_schema(validator, name):
    assert list(validator.iter_errors(load(VALID_BANKS[name]))) == []


def test_image_paths_match_the_schema(validator):
    text = MINIMAL + "    image: images/Stop-sign.PNG\n"

    assert list(validator.iter_errors(load(text))) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("title: Fire safety", "titel: Fire safety"),
        ("id: fire-safety", "id: Fire Safety"),
        ("id: fire-safety", "id: x"),
        ("title: Fire safety", "title: ''"),
        ("    answer: B", "    anwser: B"),
        ("      B: Raise the alarm", "      C: Raise the alarm"),
        ("      B: Raise the alarm", "      b: Raise the alarm"),
        ("    answer: B", "    type: single\n    answer: AB"),
        ("    answer: B", "    type: true_false\n    answer: true"),
        ("    answer: B", "    answer: B\n    points: 0"),
        ("    answer: B", "    answer: B\n    image: ../secret.png"),
        ("    answer: B", "    answer: B\n    image: sign.svg"),
        ("questions:", "quiz: {pass_score: 101}\nquestions:"),
        ("questions:", "quiz: {time_limit: 15 minutes}\nquestions:"),
        ("questions:", "quiz: {time_limit: 10}\nquestions:"),
        ("questions:", "quiz: {review: later}\nquestions:"),
        ("questions:", "quiz: {max_attempts: 0}\nquestions:"),
        ("questions:", "quiz: {shuffle_choices: sometimes}\nquestions:"),
    ],
)
def test_invalid_banks_do_not_match_the_schema(validator, old, new):
    text = MINIMAL.replace(old, new, 1)

    assert text != MINIMAL
    assert list(validator.iter_errors(load(text))) != []


def test_empty_questions_do_not_match_the_schema(validator):
    text = MINIMAL.split("questions:")[0] + "questions: []\n"

    assert list(validator.iter_errors(load(text))) != []
