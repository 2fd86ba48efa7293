"""The JSON Schema of the bank format, for editors (e.g. VS Code's YAML extension).

Pure module: no Flask. The schema helps authors while they type; the validator in
``format.py`` stays the judge. Editors read YAML by the 1.2 core schema, where ``title: 2024``
is a number and ``answer: false`` a boolean, so text-valued keys also accept numbers and
booleans here: the validator keeps such values as the text written.
"""

from __future__ import annotations

import string
from itertools import pairwise
from typing import Any

from .format import (
    BANK_ID_PATTERN,
    DURATION_PATTERN,
    FALSE_ANSWERS,
    FALSE_WORDS,
    IMAGE_EXTENSIONS,
    LANGUAGE_PATTERN,
    MAX_CHOICES,
    MAX_TIME_LIMIT,
    MAX_TITLE_LENGTH,
    MIN_CHOICES,
    MIN_TIME_LIMIT,
    QUESTION_ID_PATTERN,
    QUESTION_TYPES,
    REVIEW_MODES,
    SCORING_MODES,
    TRUE_ANSWERS,
    TRUE_WORDS,
)

SCHEMA_ID = "https://quizapp.example/schemas/question-bank.schema.json"

_LETTERS = string.ascii_uppercase[:MAX_CHOICES]
# One letter, or several: "ABC", "A,B,C", "A、B" (the forms format.py accepts).
_LETTERS_PATTERN = r"^\s*[A-Z](\s*[,，、]?\s*[A-Z])*\s*$"
# JSON Schema patterns take no flags, so the extensions spell out both cases: [pP][nN][gG].
_EXTENSIONS = "|".join(
    "".join(f"[{c}{c.upper()}]" for c in extension.lstrip(".")) for extension in IMAGE_EXTENSIONS
)
# Relative, no '.' or '..' segment, no empty segment, no backslash, colon or control character.
_IMAGE_PATTERN = (
    r"^(?!/)(?!.*(^|/)\.{1,2}(/|$))(?!.*//)[^\\:\u0000-\u001f]+\.(" + _EXTENSIONS + ")$"
)


def _text(description: str, *, min_length: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        "description": description,
        "anyOf": [
            {"type": "string", "minLength": min_length, **extra},
            {"type": ["number", "boolean"]},
        ],
    }


def _optional(schema: dict[str, Any]) -> dict[str, Any]:
    """An optional key may also be left empty (null), which means the same as leaving it out."""
    return {"description": schema.get("description", ""), "anyOf": [schema, {"type": "null"}]}


def _whole(description: str, minimum: int, maximum: int | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"description": description, "type": "integer", "minimum": minimum}
    if maximum is not None:
        schema["maximum"] = maximum
    return schema


def _boolean(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "anyOf": [{"type": "boolean"}, {"enum": [*TRUE_WORDS, *FALSE_WORDS]}],
    }


def _quiz() -> dict[str, Any]:
    return {
        "description": "How a quiz drawn from this bank behaves; every key is optional.",
        "type": ["object", "null"],
        "additionalProperties": False,
        "properties": {
            "time_limit": _optional(
                {
                    "description": (
                        f"Time allowed, {MIN_TIME_LIMIT} s to {MAX_TIME_LIMIT // 3600} h: "
                        "90s, 15m, 1h, 1h30m, or a whole number of seconds. Default: untimed."
                    ),
                    "anyOf": [
                        {"type": "integer", "minimum": MIN_TIME_LIMIT, "maximum": MAX_TIME_LIMIT},
                        {"type": "string", "pattern": DURATION_PATTERN},
                    ],
                }
            ),
            "questions": _optional(
                _whole(
                    "Questions drawn at random per attempt, 1 to the number of questions. "
                    "Default: all.",
                    1,
                )
            ),
            "pass_score": _optional(
                _whole("Percent needed to pass, 0 to 100. Default 80.", 0, 100)
            ),
            "max_attempts": _optional(_whole("Attempts allowed. Default: unlimited.", 1)),
            "shuffle_questions": _optional(_boolean("Shuffle the question order. Default true.")),
            "shuffle_choices": _optional(_boolean("Shuffle the choice order. Default true.")),
            "review": _optional(
                {
                    "description": "When a person may review answers. Default after_submit.",
                    "enum": list(REVIEW_MODES),
                }
            ),
            "valid_for_days": _optional(
                _whole("A pass expires after this many days. Default: never.", 1)
            ),
            "scoring": _optional(
                {
                    "description": (
                        "all_or_nothing, or partial credit on multiple-answer questions. "
                        "Default all_or_nothing."
                    ),
                    "enum": list(SCORING_MODES),
                }
            ),
        },
    }


def _question() -> dict[str, Any]:
    true_false_answer = {
        "description": "true or false (also 对/错, 正确/错误, T/F).",
        "anyOf": [{"type": "boolean"}, {"enum": [*TRUE_ANSWERS, *FALSE_ANSWERS]}],
    }
    letters_answer = {
        "description": "A list of choice letters, or a string of them such as ABC.",
        "anyOf": [
            {
                "type": "array",
                "minItems": 1,
                "uniqueItems": True,
                "items": {"type": "string", "pattern": "^[A-Z]$"},
            },
            {"type": "string", "pattern": _LETTERS_PATTERN},
        ],
    }
    choices_required = {"required": ["choices"]}
    return {
        "description": "One question.",
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "text", "answer"],
        "properties": {
            "id": {
                "description": (
                    "Unique in the bank and stable across versions (analytics follow it)."
                ),
                # An id such as 001 or 1.5 is a number to an editor; the validator reads it as text.
                "anyOf": [
                    {"type": "string", "pattern": QUESTION_ID_PATTERN},
                    {"type": "number", "minimum": 0},
                ],
            },
            "type": _optional(
                {
                    "description": (
                        "single, multiple or true_false. When absent: a list (or several "
                        "letters) as answer means multiple, a true/false answer with no choices "
                        "means true_false, otherwise single."
                    ),
                    "enum": list(QUESTION_TYPES),
                }
            ),
            "text": _text("The question; plain text, line breaks kept, never HTML."),
            "choices": {
                "description": (
                    f"{MIN_CHOICES} to {MAX_CHOICES} choices labelled with consecutive capital "
                    "letters from A; not for true_false questions."
                ),
                "type": "object",
                "propertyNames": {"enum": list(_LETTERS)},
                "minProperties": MIN_CHOICES,
                "maxProperties": MAX_CHOICES,
                "additionalProperties": _text("The choice's text."),
                # Consecutive letters: each letter after A needs the one before it.
                "dependentRequired": {
                    letter: [previous] for previous, letter in pairwise(_LETTERS)
                },
            },
            "answer": {
                "description": (
                    "single: one letter; multiple: a list of letters or a string of letters; "
                    "true_false: true or false (or 对/错, 正确/错误, T/F)."
                ),
                "anyOf": [letters_answer, true_false_answer],
            },
            "explanation": _optional(_text("Shown in review.", min_length=0)),
            "points": _optional(_whole("Whole number ≥ 1. Default 1.", 1)),
            "image": _optional(
                {
                    "description": (
                        "Path of an image inside the uploaded .zip (PNG, JPEG, WebP or GIF, "
                        "at most 1 MiB)."
                    ),
                    "type": "string",
                    "pattern": _IMAGE_PATTERN,
                }
            ),
            "image_alt": _optional(
                _text(
                    "What the image shows, read out to people who cannot see it "
                    "(an extension: without it, the question's text stands in)."
                )
            ),
            "tags": _optional(
                {
                    "description": "Labels for reports.",
                    "type": "array",
                    "items": _text("A tag."),
                }
            ),
        },
        "allOf": [
            {
                "if": {"required": ["type"], "properties": {"type": {"const": "single"}}},
                "then": {
                    **choices_required,
                    "properties": {"answer": {"type": "string", "pattern": r"^\s*[A-Z]\s*$"}},
                },
            },
            {
                "if": {"required": ["type"], "properties": {"type": {"const": "multiple"}}},
                "then": {**choices_required, "properties": {"answer": letters_answer}},
            },
            {
                "if": {"required": ["type"], "properties": {"type": {"const": "true_false"}}},
                "then": {
                    "not": {"required": ["choices"]},
                    "properties": {"answer": true_false_answer},
                },
            },
        ],
    }


def bank_json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a question bank file."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Question bank",
        "description": (
            "A question bank for safety-training quizzes. Anchors, aliases and tags are not "
            "allowed; texts are kept exactly as written."
        ),
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "title", "questions"],
        "properties": {
            "id": {
                "description": "The bank's identity; re-importing the same id makes a new version.",
                # An all-digit id is a number to an editor; the validator reads it as text.
                "anyOf": [
                    {"type": "string", "pattern": BANK_ID_PATTERN},
                    {"type": "integer", "minimum": 10},
                ],
            },
            "title": _text("The bank's title.", maxLength=MAX_TITLE_LENGTH),
            "language": _optional(
                {
                    "description": "BCP 47 language tag, e.g. zh-CN or en.",
                    "type": "string",
                    "pattern": LANGUAGE_PATTERN,
                }
            ),
            "description": _optional(_text("What the bank covers.", min_length=0)),
            "quiz": {
                "description": "How a quiz drawn from this bank behaves; every key is optional.",
                "$ref": "#/$defs/quiz",
            },
            "questions": {
                "description": "The questions; at least one.",
                "type": "array",
                "minItems": 1,
                "items": {"$ref": "#/$defs/question"},
            },
        },
        "$defs": {"quiz": _quiz(), "question": _question()},
    }
