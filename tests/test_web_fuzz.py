"""Fuzzing the JSON API from its own description: every operation in /openapi.json is sent
path, query and form values generated from its schema (valid ones, unicode text, huge and
negative numbers, empty strings, missing fields, odd uploads) over a real database. No answer
may be a 500: bad input is a 4xx naming the problem. Both backends.

Beside tests/test_web_schemathesis.py (requests derived from the schema alone), this loop
mixes in values no schema suggests (NUL, bidi marks, SQL and script text, huge numbers) and
uploads a real export archive, and checks that NUL is refused with a 400 that names it."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netweave.store import Store
from netweave.web import create_app

from .conftest import DATA
from .richdb import build

TOKEN = "fuzz-token-123"
# NETWEAVE_FUZZ_EXAMPLES raises the requests per operation for a longer hunt (25 in the suite).
EXAMPLES = int(os.environ.get("NETWEAVE_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),  # unencodable: never sent by a client
    max_size=400,
)
_ODD = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        str(10**30),
        str(-(2**63)),
        "9" * 400,
        "1e309",
        "NaN",
        "null",
        "..",
        "%00",
        "\x00",
        "山田太郎 🌸",
        "\u202e\u0301",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
    ]
)


def _values(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    """Strings for one parameter: what its schema allows, and what it does not."""
    kinds: list[st.SearchStrategy[str]] = [_TEXT, _ODD]
    for option in schema.get("anyOf", [schema]):
        if "enum" in option:
            kinds.append(st.sampled_from([str(v) for v in option["enum"]]))
        if option.get("pattern"):
            kinds.append(st.from_regex(option["pattern"], fullmatch=True))
        if option.get("type") == "integer":
            low, high = option.get("minimum"), option.get("maximum")
            kinds.append(
                st.integers(
                    None if low is None else int(low), None if high is None else int(high)
                ).map(str)
            )
            kinds.append(st.integers().map(str))
        if "default" in option:
            kinds.append(st.just(str(option["default"])))
    return st.one_of(kinds)


def _zip_of_sample() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted((DATA / "mastodon").rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(DATA / "mastodon").as_posix())
    return buffer.getvalue()


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, op)
        for path, ops in sorted(spec["paths"].items())
        for method, op in sorted(ops.items())
    ]


def _body_schema(spec: dict[str, Any], op: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The content type and schema of an operation's form body ('' and {} for none)."""
    for content_type, body in op.get("requestBody", {}).get("content", {}).items():
        schema = body["schema"]
        if "$ref" in schema:
            schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
        return content_type, schema
    return "", {}


@pytest.fixture
def api(db_url: str) -> Iterator[TestClient]:
    """A client with the bearer token over a database filled through the CLI."""
    build(db_url)
    store = Store.open(db_url)
    app = create_app(store, token=TOKEN, secret="s3cret")
    with TestClient(app, raise_server_exceptions=False) as client:
        client.headers["authorization"] = f"Bearer {TOKEN}"
        client.headers["accept"] = "application/json"
        yield client
    store.close()


def _fuzz(
    api: TestClient,
    spec: dict[str, Any],
    operation: tuple[str, str, dict[str, Any]],
    sample: bytes,
    tried: dict[str, int],
    statuses: dict[int, int],
) -> None:
    """Send one operation ``EXAMPLES`` generated requests; none may answer 5xx."""
    method, path, op = operation
    params = op.get("parameters", [])
    _, body = _body_schema(spec, op)
    fields: dict[str, Any] = body.get("properties", {})
    required = set(body.get("required", []))

    @FUZZ
    @given(data=st.data())
    def hit(data: st.DataObject) -> None:
        url = path
        query: dict[str, str] = {}
        for p in params:
            value = data.draw(_values(p["schema"]), label=p["name"])
            if p["in"] == "path":
                url = url.replace("{" + p["name"] + "}", quote(value, safe="") or "%20")
            elif p.get("required") or data.draw(st.booleans()):
                query[p["name"]] = value
        form: dict[str, str] = {}
        files: dict[str, Any] | None = None
        for name, schema in fields.items():
            if schema.get("format") == "binary" or "contentMediaType" in schema:
                upload = data.draw(
                    st.one_of(st.just(sample), st.binary(max_size=2000), st.just(b"")),
                    label=name,
                )
                filename = data.draw(st.one_of(st.just("export.zip"), _TEXT), label="file")
                files = {name: (filename, upload, "application/zip")}
            elif name in required or data.draw(st.booleans()):
                form[name] = data.draw(_values(schema), label=name)
        key = f"{method} {path}"
        tried[key] = tried.get(key, 0) + 1
        answer = api.request(
            method, url, params=query, data=form or None, files=files, follow_redirects=False
        )
        statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
        assert answer.status_code < 500, (method, url, query, form, answer.text)

    hit()


def test_no_request_built_from_the_schema_is_a_server_error(api: TestClient) -> None:
    spec = api.get("/openapi.json").json()
    operations = _operations(spec)
    assert len(operations) > 20
    sample = _zip_of_sample()
    tried: dict[str, int] = {}
    statuses: dict[int, int] = {}
    for operation in operations:
        _fuzz(api, spec, operation, sample, tried, statuses)
    total = sum(tried.values())
    print(f"\nAPI fuzz: {total} requests over {len(tried)} operations, {statuses}")
    assert set(tried) == {f"{m} {p}" for m, p, _ in operations}
    assert total >= EXAMPLES * len(operations) // 2
    assert statuses.get(200, 0) > len(operations)  # not all refused at the door
    assert 401 not in statuses


def test_nul_characters_are_a_400_not_a_crash(api: TestClient) -> None:
    for answer in (
        api.get("/people/%00.json"),
        api.get("/people.json", params={"q": "a\x00b"}),
        api.post("/settings", data={"key": "owner.name", "value": "a\x00b"}),
    ):
        assert answer.status_code == 400, answer.text
        assert "NUL" in answer.json()["error"]
    upload = api.post("/import", files={"export": ("a\x00.zip", b"PK", "application/zip")})
    assert upload.status_code == 400, upload.text
