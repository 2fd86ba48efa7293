"""The OpenAPI 3.1 description of the read-only API, served at /api/v1/openapi.json.

The schemas are JSON Schema 2020-12, and `tests/api/test_openapi.py` validates real
responses against them, so the document cannot drift from what the API returns.
"""

from __future__ import annotations

from typing import Any

from quizapp.database import MAX_ID

#: The most items one page holds; `limit` above it is refused.
MAX_LIMIT = 200
DEFAULT_LIMIT = 50

STATUSES = [
    "not_started",
    "in_progress",
    "passed",
    "failed",
    "no_attempts_left",
    "overdue",
    "expired",
]


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    kind = schema["type"]
    return {**schema, "type": [kind, "null"]}


def _object(properties: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


ID = {"type": "integer", "format": "int32", "minimum": 1, "maximum": MAX_ID}
COUNT = {"type": "integer", "minimum": 0}
TEXT = {"type": "string"}
TIME = {"type": "string", "format": "date-time"}
PERCENT = {"type": "number", "minimum": 0, "maximum": 100}

SCHEMAS: dict[str, Any] = {
    "Error": _object(
        {"error": {"type": ["string", "integer"]}, "message": TEXT}, "What went wrong."
    ),
    "Site": _object({"id": ID, "name": TEXT}, "A construction site or mine."),
    "Crew": _object(
        {
            "id": ID,
            "name": TEXT,
            "site": {"oneOf": [{"$ref": "#/components/schemas/Site"}, {"type": "null"}]},
            "workers": {**COUNT, "description": "Active workers in the crew."},
        },
        "A crew (班组) and its site.",
    ),
    "Worker": _object(
        {
            "id": ID,
            "employee_no": TEXT,
            "name": TEXT,
            "crew_id": _nullable(ID),
            "site_id": _nullable(ID),
            "active": {"type": "boolean"},
        },
        "A worker; deactivated workers are listed with active false.",
    ),
    "Assignment": _object(
        {
            "id": ID,
            "bank": _object(
                {"id": ID, "slug": TEXT, "title": TEXT}, "The quiz (newest bank version's title)."
            ),
            "site_id": {
                **_nullable(ID),
                "description": "Set when the whole site must take the quiz.",
            },
            "crew_ids": {
                "type": "array",
                "items": ID,
                "description": "The crews named (those the token may see); empty for a site.",
            },
            "due_at": TIME,
            "valid_for_days": {
                **_nullable({"type": "integer", "minimum": 1}),
                "description": "How long a pass counts; null: for ever.",
            },
            "max_attempts": _nullable({"type": "integer", "minimum": 1}),
        },
        "An active assignment: a quiz required of crews or a site by a due date.",
    ),
    "Standing": _object(
        {
            "assignment_id": ID,
            "worker_id": ID,
            "employee_no": TEXT,
            "name": TEXT,
            "crew_id": ID,
            "status": {"type": "string", "enum": STATUSES},
            "expiring": {
                "type": "boolean",
                "description": "Passed, and the pass runs out within 30 days.",
            },
            "attempts": COUNT,
            "best_percent": _nullable(PERCENT),
            "passed_at": _nullable(TIME),
            "valid_until": _nullable(TIME),
        },
        "Where one worker stands with one assignment, now.",
    ),
    "CrewCompletion": _object(
        {
            "crew_id": ID,
            "crew": TEXT,
            "site_id": _nullable(ID),
            "site": _nullable(TEXT),
            "workers": {**COUNT, "description": "Workers with at least one required quiz."},
            "required": {
                **COUNT,
                "description": "Required quizzes: one per worker and assignment.",
            },
            "passed": {**COUNT, "description": "Required quizzes with a valid pass."},
            "expiring": {**COUNT, "description": "Valid passes that run out within 30 days."},
            "in_progress": COUNT,
            "failed": {**COUNT, "description": "Not passed yet, including no attempts left."},
            "no_attempts_left": COUNT,
            "not_started": COUNT,
            "overdue": COUNT,
            "expired": COUNT,
            "completion_percent": _nullable(PERCENT),
            "pass_rate_percent": _nullable(PERCENT),
            "average_best_percent": _nullable(PERCENT),
            "attempts_submitted": COUNT,
            "attempts_passed": COUNT,
        },
        "A crew's completion figures, as on the report pages.",
    ),
    "Attempt": _object(
        {
            "id": ID,
            "worker_id": ID,
            "bank": _object({"id": ID, "slug": TEXT}, "The quiz."),
            "bank_version": {"type": "integer", "minimum": 1},
            "title": TEXT,
            "number": {"type": "integer", "minimum": 1},
            "started_at": TIME,
            "submitted_at": _nullable(TIME),
            "finished_by": {"type": ["string", "null"], "enum": ["worker", "deadline", None]},
            "duration_seconds": _nullable(COUNT),
            "score": _nullable({"type": "number", "minimum": 0}),
            "max_score": _nullable(COUNT),
            "percent": _nullable(PERCENT),
            "passed": {"type": ["boolean", "null"]},
        },
        "One attempt at a quiz, pinned to the bank version it was drawn from.",
    ),
}


def _page(item: str) -> dict[str, Any]:
    return _object(
        {
            "data": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}},
            "next": {
                "type": ["string", "null"],
                "format": "uri",
                "description": "The next page, or null on the last.",
            },
        },
        f"A page of {item} items, by id.",
    )


for _item in ("Site", "Crew", "Worker", "Assignment", "Standing", "CrewCompletion", "Attempt"):
    SCHEMAS[f"{_item}Page"] = _page(_item)

PARAMETERS: dict[str, Any] = {
    "limit": {
        "name": "limit",
        "in": "query",
        "description": f"Items per page, 1 to {MAX_LIMIT}.",
        "schema": {
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_LIMIT,
            "default": DEFAULT_LIMIT,
        },
    },
    "after": {
        "name": "after",
        "in": "query",
        "description": "Only items with a greater id (the cursor the `next` link carries).",
        "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID, "default": 0},
    },
    "id": {"name": "id", "in": "path", "required": True, "schema": ID},
}


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "description": description, "schema": schema}


def _ok(schema: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


ERRORS = {
    "400": {"$ref": "#/components/responses/BadRequest"},
    "401": {"$ref": "#/components/responses/Unauthorized"},
}
NOT_FOUND = {"404": {"$ref": "#/components/responses/NotFound"}}
PAGED = [{"$ref": "#/components/parameters/limit"}, {"$ref": "#/components/parameters/after"}]
BY_ID = [{"$ref": "#/components/parameters/id"}]


def _list(summary: str, page: str, *extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": [*PAGED, *extra],
            "responses": {"200": _ok(page, summary), **ERRORS, **NOT_FOUND},
        }
    }


def _item(summary: str, schema: str) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": BY_ID,
            "responses": {"200": _ok(schema, summary), **ERRORS, **NOT_FOUND},
        }
    }


def document(server_url: str) -> dict[str, Any]:
    """The OpenAPI document, with the API's own address as its server."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "quizapp training records API",
            "version": "1.0.0",
            "description": (
                "Read-only JSON for HR and ERP systems: crews, workers, assignments, each "
                "worker's standing, completion per crew and attempts. Send the token an "
                "administrator issued as `Authorization: Bearer <token>`; a token limited to "
                "some sites sees only those (other ids answer 404). Lists come a page at a "
                "time by id; follow `next` until it is null. Statuses are as of the request."
            ),
        },
        "servers": [{"url": server_url}],
        "security": [{"bearer": []}],
        "paths": {
            "/sites": _list("Sites", "SitePage"),
            "/crews": _list("Crews", "CrewPage", _query("site_id", "Only this site's crews.", ID)),
            "/crews/{id}": _item("A crew", "Crew"),
            "/workers": _list(
                "Workers", "WorkerPage", _query("crew_id", "Only this crew's workers.", ID)
            ),
            "/workers/{id}": _item("A worker", "Worker"),
            "/assignments": _list("Active assignments", "AssignmentPage"),
            "/assignments/{id}": _item("An active assignment", "Assignment"),
            "/assignments/{id}/standings": {
                "get": {
                    "summary": "Each covered worker's standing with the assignment",
                    "parameters": [*BY_ID, *PAGED],
                    "responses": {
                        "200": _ok("StandingPage", "Standings, by worker id"),
                        **ERRORS,
                        **NOT_FOUND,
                    },
                }
            },
            "/completion": _list(
                "Completion per crew",
                "CrewCompletionPage",
                _query("site_id", "Only this site.", ID),
                _query("crew_id", "Only this crew.", ID),
                _query("bank_id", "Only assignments of this quiz.", ID),
                _query(
                    "from",
                    "Assignments due, and attempts submitted, from this day (display time zone).",
                    {"type": "string", "format": "date"},
                ),
                _query(
                    "to",
                    "… up to and including this day.",
                    {"type": "string", "format": "date"},
                ),
            ),
            "/attempts": _list(
                "Attempts",
                "AttemptPage",
                _query("worker_id", "Only this worker's attempts.", ID),
                _query("bank_id", "Only attempts at this quiz.", ID),
                _query(
                    "submitted_since",
                    "Only attempts submitted at or after this time.",
                    {"type": "string", "format": "date-time"},
                ),
            ),
            "/attempts/{id}": _item("An attempt", "Attempt"),
        },
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token issued on the admin's API tokens page.",
                }
            },
            "parameters": PARAMETERS,
            "responses": {
                "BadRequest": _error("A parameter is malformed."),
                "Unauthorized": _error("No token, or a wrong or revoked one."),
                "NotFound": _error("No such thing, or not on the token's sites."),
            },
            "schemas": SCHEMAS,
        },
    }


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
