"""The small HTTP client every connector shares: timeouts, retries with backoff, rate limits.

- Timeouts on every request (connect 10 s, read 30 s).
- Connection errors, timeouts and 5xx answers are retried ``retries`` times with exponential
  backoff (1, 2, 4 ... seconds), then raise :class:`Unreachable`.
- HTTP 429 waits for ``Retry-After`` (seconds or an HTTP date) and tries again.
- Mastodon's ``X-RateLimit-Remaining`` / ``X-RateLimit-Reset`` (and Bluesky's ``RateLimit-*``):
  when nothing remains, the next request waits until the reset time; so does a 429 without
  ``Retry-After``.
- HTTP 401 (and 403) raises :class:`AuthError`: a token or password to fix.
- ``Link`` headers give the next and previous pages (:func:`link`).

Sleeping and the clock are injected, so tests replay recorded answers without waiting; the
transport is injected too (``httpx.MockTransport`` in tests: they never touch the network).

    >>> import httpx
    >>> waits = []
    >>> answers = iter([httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200)])
    >>> http = Http("mastodon", transport=httpx.MockTransport(lambda r: next(answers)),
    ...             sleep=waits.append)
    >>> http.request("GET", "https://example.social/api/v1/x").status_code, waits
    (200, [7.0])
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from .. import __version__
from ..errors import AuthError, ConnectorError, Unreachable

__all__ = ["Http", "link"]

Sleeper = Callable[[float], None]
Clock = Callable[[], float]

TIMEOUT = httpx.Timeout(30.0, connect=10.0)
MAX_WAIT = 900.0  # never wait longer than 15 minutes for a rate limit

# what an ``Http`` made without an explicit transport or sleeper uses: the network and real
# time, unless replaced (tests replay recorded answers through an ``httpx.MockTransport``)
default_transport: httpx.BaseTransport | None = None
default_sleep: Sleeper | None = None


def _seconds_until(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` / reset header: a number of seconds, a Unix time
    (Bluesky's ``RateLimit-Reset``), an HTTP date or an ISO 8601 instant (Mastodon's
    ``X-RateLimit-Reset``).

    >>> _seconds_until("30", 0.0), _seconds_until("1735689660", 1735689600.0)
    (30.0, 60.0)
    >>> _seconds_until("2025-01-01T00:05:00.000Z", 1735689600.0)
    300.0
    """
    if not value:
        return None
    text = value.strip()
    try:
        number = float(text)
    except ValueError:
        pass
    else:
        return max(0.0, number - now if number > 1e9 else number)
    when: datetime | None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        try:
            when = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


def link(response: httpx.Response, rel: str) -> str | None:
    """The URL of the ``rel`` ("next", "prev") page a ``Link`` header names, if any.

    >>> r = httpx.Response(200, headers={"Link": '<https://x.social/a?max_id=7>; rel="next"'})
    >>> link(r, "next"), link(r, "prev")
    ('https://x.social/a?max_id=7', None)
    """
    found = response.links.get(rel)
    return found.get("url") if found else None


class Http:
    """An ``httpx.Client`` with the retry and rate-limit rules above, named for its errors."""

    def __init__(
        self,
        connector: str,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Sleeper | None = None,
        clock: Clock | None = None,
        retries: int = 3,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.connector = connector
        self.sleep: Sleeper = sleep or default_sleep or time.sleep
        self.clock: Clock = clock or time.time
        self.retries = retries
        self._wait_until = 0.0
        self.client = httpx.Client(
            transport=transport or default_transport,
            timeout=TIMEOUT,
            follow_redirects=True,
            headers={"User-Agent": f"netweave/{__version__}", **(headers or {})},
        )

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()

    def __enter__(self) -> Http:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _pause(self, seconds: float) -> None:
        if seconds > 0:
            self.sleep(min(seconds, MAX_WAIT))

    def request(
        self,
        method: str,
        url: str,
        *,
        auth_ok: tuple[int, ...] = (),
        ok: tuple[int, ...] = (),
        **kwargs: Any,
    ) -> httpx.Response:
        """Send one request, retrying as described; return a 2xx (or an ``ok``) response.

        Statuses in ``auth_ok`` are returned instead of raising :class:`AuthError` (a caller
        that can refresh its session handles them).
        """
        host = httpx.URL(url).host
        attempt = 0
        while True:
            self._pause(self._wait_until - self.clock())
            try:
                response = self.client.request(method, url, **kwargs)
            except httpx.TimeoutException:
                problem = f"{host} did not answer in time"
            except httpx.TransportError as exc:
                problem = f"cannot reach {host} ({type(exc).__name__})"
            else:
                self._note_limits(response)
                status = response.status_code
                if status < 300 or status in ok or status in auth_ok:
                    return response
                if status in (401, 403):
                    raise AuthError(self.connector, _refusal(response, host))
                if status == 429:
                    wait = _seconds_until(response.headers.get("Retry-After"), self.clock())
                    attempt += 1
                    if attempt > self.retries + 2:
                        raise Unreachable(self.connector, f"{host} keeps limiting the request rate")
                    if wait is None and self._wait_until <= self.clock():
                        wait = 2.0**attempt  # no hint at all: back off
                    self._pause(wait or 0.0)  # else the reset time noted above applies
                    continue
                if status < 500:
                    raise ConnectorError(
                        self.connector, f"{host} answered HTTP {status} to {httpx.URL(url).path}"
                    )
                problem = f"{host} failed (HTTP {status})"
            attempt += 1
            if attempt > self.retries:
                raise Unreachable(self.connector, f"{problem}; try again later")
            self._pause(2.0 ** (attempt - 1))

    def get_json(self, url: str, **kwargs: Any) -> tuple[Any, httpx.Response]:
        """GET ``url`` and decode its JSON body: (data, response)."""
        response = self.request("GET", url, **kwargs)
        return self.json(response), response

    def json(self, response: httpx.Response) -> Any:
        """The JSON body of ``response``, or a one-line ConnectorError."""
        try:
            return response.json()
        except ValueError:
            raise ConnectorError(
                self.connector, f"{response.url.host} did not answer with JSON"
            ) from None

    def _note_limits(self, response: httpx.Response) -> None:
        """Mastodon's ``X-RateLimit-*`` and the ``RateLimit-*`` of Bluesky: when nothing
        remains, no request goes out before the reset time."""
        prefix = "X-RateLimit" if "X-RateLimit-Remaining" in response.headers else "RateLimit"
        remaining = response.headers.get(f"{prefix}-Remaining")
        if remaining is None:
            return
        try:
            left = int(float(remaining))
        except ValueError:
            return
        if left <= 0:
            now = self.clock()
            wait = _seconds_until(response.headers.get(f"{prefix}-Reset"), now)
            if wait is not None:
                self._wait_until = now + wait


def _refusal(response: httpx.Response, host: str) -> str:
    """A one-line reason for a 401/403, from the server's JSON error when it gives one."""
    detail = ""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        detail = str(body.get("error_description") or body.get("message") or body.get("error"))
    reason = f"{host} refused the credentials (HTTP {response.status_code})"
    return f"{reason}: {detail}" if detail and detail != "None" else reason
