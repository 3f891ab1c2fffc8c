"""Schemathesis over the JSON API: every operation in /openapi.json, loaded from the app in
process, is sent requests generated from its schema (valid ones and ones breaking it) over a
database filled through the CLI. No answer may be a 5xx ("not_a_server_error"). Both backends.

Derandomized, so CI sends the same requests every run; NETWEAVE_SCHEMATHESIS_EXAMPLES raises
the examples per operation and mode for a longer hunt."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi

from netweave.store import Store
from netweave.web import create_app

from .richdb import build

TOKEN = "schemathesis-token-123"
HEADERS = {"authorization": f"Bearer {TOKEN}", "accept": "application/json"}
EXAMPLES = int(os.environ.get("NETWEAVE_SCHEMATHESIS_EXAMPLES", "15"))
RUN = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def api_schema(db_url: str) -> Iterator[schemathesis.BaseSchema]:
    """The app's schema, loaded in process, over a database filled through the CLI."""
    build(db_url)
    store = Store.open(db_url)
    app = create_app(store, token=TOKEN, secret="s3cret")
    yield schemathesis.openapi.from_asgi("/openapi.json", app, headers=HEADERS)
    store.close()


def test_schemathesis_finds_no_server_error(api_schema: schemathesis.BaseSchema) -> None:
    statuses: dict[int, int] = {}
    unbreakable: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 20
    with asgi.get_client(operations[0].app) as client:
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

                @RUN
                @given(case=operation.as_strategy(generation_mode=mode))
                def hit(case: Case) -> None:
                    response = case.call(session=client, headers=HEADERS)
                    statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                    case.validate_response(response, checks=[not_a_server_error])

                try:
                    hit()
                except Unsatisfiable:
                    # an operation with no input to break has no negative case
                    assert mode is GenerationMode.NEGATIVE, operation.label
                    unbreakable.append(operation.label)
    counts = dict(sorted(statuses.items()))
    print(f"\nschemathesis: {sum(statuses.values())} requests, {counts}")
    print(f"no negative case (no input to break): {unbreakable}")
    assert statuses.get(200, 0) > len(operations)  # not all refused at the door
    assert 401 not in statuses
