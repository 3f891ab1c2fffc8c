"""The exceptions netweave raises, as one documented tree.

Callers catch the narrowest class they can handle; the CLI maps them to exit codes.

    NetweaveError                 anything netweave raises on purpose
    ├── InputError                a file or value the user gave is wrong   (CLI exit 2)
    │   └── UnsupportedFormat     a file netweave recognises but cannot read yet
    ├── NotFound                  a person, account, goal or list id that does not exist (exit 2)
    ├── PermissionDenied          the acting user's role does not allow the change (exit 3)
    ├── AuthenticationFailed      wrong user name or password, or too many attempts  (exit 3)
    ├── ConfigError               a bad setting or config file             (exit 2)
    ├── StoreError                the database could not be opened or migrated (exit 1)
    ├── MissingExtra              an optional feature whose extra is not installed (exit 2)
    └── ConnectorError            a live API (``netweave sync``) could not be used (exit 1)
        ├── AuthError             the server refused the token or password  (exit 2)
        └── Unreachable           the server did not answer, or kept failing (exit 1)

Example:

    >>> try:
    ...     raise InputError("twitter.zip", "data/tweets.js record 3", "not valid JSON")
    ... except NetweaveError as exc:
    ...     print(exc)
    twitter.zip: data/tweets.js record 3: not valid JSON
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AuthError",
    "AuthenticationFailed",
    "ConfigError",
    "ConnectorError",
    "InputError",
    "MissingExtra",
    "NetweaveError",
    "NotFound",
    "PermissionDenied",
    "StoreError",
    "Unreachable",
    "UnsupportedFormat",
]


class NetweaveError(Exception):
    """Base class of every error netweave raises on purpose."""

    exit_code = 1


class InputError(NetweaveError):
    """Bad user input: names the file, the record inside it and the reason.

    >>> str(InputError("contacts.vcf", "card 2", "no END:VCARD"))
    'contacts.vcf: card 2: no END:VCARD'
    >>> str(InputError("", None, "query is empty"))
    'query is empty'
    """

    exit_code = 2

    def __init__(self, file: str, record: str | None, reason: str) -> None:
        self.file = file
        self.record = record
        self.reason = reason
        parts = [p for p in (file, record, reason) if p]
        super().__init__(": ".join(parts))

    def __reduce__(self) -> tuple[Any, ...]:  # picklable: a worker process raises it here
        return type(self), (self.file, self.record, self.reason)


class UnsupportedFormat(InputError):
    """A file that netweave recognises but does not read (e.g. a pre-2019 Twitter layout)."""


class NotFound(NetweaveError):
    """An id or name given by the user matches nothing.

    >>> str(NotFound("person", "Ada"))
    "no person matches 'Ada'"
    """

    exit_code = 2

    def __init__(self, kind: str, key: str) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"no {kind} matches {key!r}")


class PermissionDenied(NetweaveError):
    """The acting user is a member of the workspace but their role does not allow this.

    >>> str(PermissionDenied("a viewer cannot change workspace 'acme'"))
    "a viewer cannot change workspace 'acme'"
    """

    exit_code = 3


class AuthenticationFailed(NetweaveError):
    """A login failed: unknown user, wrong password, or too many recent failures.

    The message never says which, so it cannot be used to find out who has an account.

    >>> str(AuthenticationFailed())
    'wrong user name or password'
    """

    exit_code = 3

    def __init__(self, reason: str = "wrong user name or password") -> None:
        super().__init__(reason)


class ConfigError(NetweaveError):
    """A setting or config file that cannot be used."""

    exit_code = 2


class StoreError(NetweaveError):
    """The database cannot be opened, migrated or written."""


class MissingExtra(NetweaveError):
    """An optional feature was asked for but its extra is not installed.

    >>> str(MissingExtra("embeddings", "semantic search"))
    "semantic search needs an extra: pip install 'netweave[embeddings]'"
    """

    exit_code = 2

    def __init__(self, extra: str, feature: str) -> None:
        self.extra = extra
        super().__init__(f"{feature} needs an extra: pip install 'netweave[{extra}]'")


class ConnectorError(NetweaveError):
    """A live API could not be used; what was synced before the failure is kept.

    >>> str(ConnectorError("mastodon", "unexpected answer (HTTP 500)"))
    'mastodon: unexpected answer (HTTP 500)'
    """

    def __init__(self, connector: str, reason: str) -> None:
        self.connector = connector
        self.reason = reason
        super().__init__(f"{connector}: {reason}")


class AuthError(ConnectorError):
    """The server refused the credentials: a setting to fix, so exit code 2.

    >>> AuthError("mastodon", "the token was refused").exit_code
    2
    """

    exit_code = 2


class Unreachable(ConnectorError):
    """The server could not be reached, timed out or kept failing after retries.

    Not a problem with the user's input (trying again later helps), so exit code 1.
    """
