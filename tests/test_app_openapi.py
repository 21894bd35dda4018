"""The OpenAPI description matches what the API returns: a schema-driven client (schemathesis) sends
generated requests to every operation and checks status codes, content types and response shapes."""
from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

from app.service import PolicyService  # noqa: E402

OPERATIONS = [("GET", "/health"), ("GET", "/search"), ("GET", "/documents"), ("GET", "/documents/{doc_id}"),
              ("GET", "/clauses/{clause_id}"), ("POST", "/apply"), ("GET", "/matrix"), ("GET", "/targets"),
              ("GET", "/incentives"), ("GET", "/entitlements"), ("GET", "/sparql"), ("POST", "/sparql")]


@pytest.fixture(scope="module")
def api_schema(built_data):
    from app.api import create_app

    return schemathesis.openapi.from_asgi("/openapi.json", create_app(PolicyService(built_data)))


def test_the_description_lists_every_operation(api_schema):
    listed = {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()}
    assert listed == set(OPERATIONS)


@pytest.mark.parametrize("method, path", OPERATIONS)
def test_every_operation_answers_as_its_openapi_description_says(api_schema, method, path):
    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=6, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        # The schema cannot say which filter values, profiles or queries exist; refusing those with a
        # documented 422 is right, so "schema-valid input must be accepted" is not checked.
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    check()
