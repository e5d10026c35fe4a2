"""Schemathesis over the OpenAPI spec: generated requests, valid and invalid, against the real app and store.

Every response must be one the spec documents (status, content type, body schema), no request may cause a
server error, invalid requests must be refused, and valid ones may be refused only for what a schema cannot
say (a text that is not English, a place the gazetteer does not know, an unknown event type), never as
schema-invalid (E205).
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance
from test_api import TOKEN, copy_of_examples

from sitroom.api import create_app

# Refusals of schema-valid requests for reasons the schema cannot express.
SEMANTIC = {"E001", "E002", "E003", "E004", "E007", "E013", "E106", "E107", "E111", "E206"}
EXAMPLES = {GenerationMode.POSITIVE: 15, GenerationMode.NEGATIVE: 8}


@pytest.mark.slow
def test_api_conforms_to_its_openapi_spec(tmp_path_factory):
    app = create_app(copy_of_examples(tmp_path_factory, "schemathesis"), token=TOKEN)
    with TestClient(app):  # runs the app's start and stop
        schema = schemathesis.openapi.from_asgi("/openapi.json", app).exclude(path_regex="^/v1/")
        failures, operations = [], 0
        for result in schema.get_all_operations():
            operation = result.ok()
            operations += 1
            for mode, count in EXAMPLES.items():
                failure = _fuzz(operation, mode, count)
                if failure:
                    failures.append(f"{operation.label} ({mode.value}): {failure}")
    assert operations == 13
    assert not failures, "\n\n".join(failures)


def _fuzz(operation, mode: GenerationMode, count: int) -> str | None:
    @given(operation.as_strategy(generation_mode=mode))
    @settings(max_examples=count, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def check(case):
        response = case.call(headers={"Authorization": f"Bearer {TOKEN}"})
        case.validate_response(response, excluded_checks=[positive_data_acceptance])
        if mode is GenerationMode.POSITIVE and 400 <= response.status_code < 500:
            code = response.json()["error"]["code"]
            assert code in SEMANTIC, f"schema-valid request refused with {code}: {case.as_curl_command()}\n" \
                                     f"{response.text}"

    try:
        check()
    except Unsatisfiable:  # a path parameter (any string) cannot be made invalid
        return None
    except BaseException as error:
        if isinstance(error, KeyboardInterrupt):
            raise
        return str(error)
    return None
