"""Property-based robustness of the API: schemathesis generates requests
from /api/openapi.json and sends them through WSGI (no server), authenticated with real
tokens over seeded dossiers. Every response must be free of server errors and conform to
the schema the API publishes. The number of cases is bounded (derandomised, reproducible)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 250


@pytest.fixture
def wsgi_in_test_transaction() -> Any:
    """Like Django's test client: requests must not close the test's connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_api_has_no_server_error_and_keeps_its_schema(
    wsgi_in_test_transaction, token, chain, demo_users, settings: Any
) -> None:
    settings.ZHICHENG_API_RATE = (100_000, 60)
    settings.ZHICHENG_API_ANONYMOUS_RATE = (100_000, 60)
    settings.ZHICHENG_VERIFY_THROTTLE = (100_000, 600)
    waiting = chain.at_preliminary()
    at_committee = chain.at_committee()
    reviewer = demo_users["haizhou_reviewer"]
    district = token("海州区人社局", ["applications:read", "results:read", "reviews:write"],
                     user=reviewer)
    read_only = token("连云区人社局", ["applications:read"])

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_in_test_transaction)
    strategies = []
    for secret in (district, read_only):
        headers = {"Authorization": f"Bearer {secret}"}
        strategies.append(schema.as_strategy(headers=headers))
        for pk in (waiting.pk, at_committee.pk):
            strategies.append(schema.as_strategy(headers=headers, path_parameters={"id": pk}))
    seen: dict[int, int] = {}

    @hypothesis_settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                         phases=[Phase.explicit, Phase.generate],
                         suppress_health_check=list(HealthCheck))
    @given(case=st.one_of(strategies))
    def run(case: Any) -> None:
        response = case.call_and_validate(
            checks=[not_a_server_error, response_schema_conformance]
        )
        seen[response.status_code] = seen.get(response.status_code, 0) + 1

    run()

    # The run reached real data, not only refusals.
    assert seen.get(200, 0) > 0, seen
    assert not any(code >= 500 for code in seen), seen
