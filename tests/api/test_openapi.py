"""The OpenAPI document describes what the API really returns: real responses are validated
against its schemas."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tests.reports.conftest import crew, site


def resolve(node: Any, document: dict) -> Any:
    """The node with every `#/components/...` reference replaced by what it points to."""
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = document
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            return resolve(target, document)
        return {key: resolve(value, document) for key, value in node.items()}
    if isinstance(node, list):
        return [resolve(item, document) for item in node]
    return node


@pytest.fixture
def document(client) -> dict:
    response = client.get("/api/v1/openapi.json")  # no token needed
    assert response.status_code == 200
    return response.get_json()


def response_schema(document: dict, path: str, status: str) -> dict:
    operation = resolve(document["paths"][path]["get"], document)
    return operation["responses"][status]["content"]["application/json"]["schema"]


def test_the_document_is_openapi_3_1_and_every_path_has_a_schema(document):
    assert document["openapi"].startswith("3.1")
    for path, item in document["paths"].items():
        schema = response_schema(document, path, "200")
        Draft202012Validator.check_schema(schema)
        assert resolve(item["get"], document)["responses"]["401"]


def test_real_responses_match_the_documented_schemas(client, world, issue, document):
    headers = issue()
    worker = world.workers["steel_pass"]
    ids = {
        "/crews/{id}": crew("钢筋班").id,
        "/workers/{id}": worker.id,
        "/assignments/{id}": world.site_wide.id,
        "/assignments/{id}/standings": world.site_wide.id,
    }
    attempts = client.get("/api/v1/attempts?limit=200", headers=headers).get_json()["data"]
    ids["/attempts/{id}"] = attempts[0]["id"]
    checked = []
    for path in document["paths"]:
        url = "/api/v1" + path.replace("{id}", str(ids.get(path, "")))
        response = client.get(url, headers=headers, query_string={"limit": 2})
        assert response.status_code == 200, url
        body = response.get_json()
        Draft202012Validator(response_schema(document, path, "200")).validate(body)
        if "data" in body:
            assert body["data"], url  # a schema checked against an empty list proves little
        checked.append(path)
    assert len(checked) == len(document["paths"]) == 11
    assert any(a["submitted_at"] is None for a in attempts)  # nullable fields were exercised


def test_errors_match_the_documented_error_schema(client, world, issue, document):
    error = resolve(document["components"]["schemas"]["Error"], document)
    unauthorised = client.get("/api/v1/crews")
    bad = client.get("/api/v1/crews?limit=0", headers=issue())
    missing = client.get("/api/v1/crews/999999", headers=issue(site("东湖").name))
    for response, status in ((unauthorised, 401), (bad, 400), (missing, 404)):
        assert response.status_code == status
        Draft202012Validator(error).validate(response.get_json())
