"""The give/get classifier on labelled examples; accuracy is reported and held to a floor."""

from __future__ import annotations

import csv
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from netweave.relationships.giving import classify

from .conftest import DATA

ACCURACY_FLOOR = 0.9


def _examples() -> list[dict[str, str]]:
    with (DATA / "labelled" / "giving.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_accuracy_on_labelled_examples() -> None:
    examples = _examples()
    confusion: Counter[tuple[str, str]] = Counter()
    wrong = []
    for ex in examples:
        got = classify(ex["text"], kind=ex["kind"]).label
        confusion[(ex["label"], got)] += 1
        if got != ex["label"]:
            wrong.append((ex["label"], got, ex["text"]))
    accuracy = 1 - len(wrong) / len(examples)
    print(
        f"give/get classifier: {accuracy:.1%} on {len(examples)} labelled examples; "
        f"confusion {dict(confusion)}"
    )
    assert len(examples) >= 60
    assert accuracy >= ACCURACY_FLOOR, wrong
    # asking something back is never counted as giving
    assert confusion[("self_promotion", "giving")] == 0


def test_own_domain_links_are_self_promotion() -> None:
    got = classify("Wrote up my notes https://blog.ada.dev/notes", own_domains=["ada.dev"])
    assert got.label == "self_promotion"
    assert classify("Read this https://other.dev/x", own_domains=["ada.dev"]).label == "neutral"


def test_answers_to_questions_are_giving() -> None:
    text = "We use a pre-commit hook that runs the formatter before every commit"
    assert classify(text, kind="reply", is_answer=True).label == "giving"
    assert classify(text, kind="reply").label == "neutral"


_CASES = [
    "DOWNLOAD MY new E-Book today",
    "Congrats on the launch! Well Deserved.",
    "RT @someone: Worth Reading this thread",
    "Here's How to fix it; HOPE THIS HELPS",
    "You Two Should Meet, cc @ana who knows",
    "Dinner Thursday? MISS YOU! Proud of you, friend",
    "Zürich café: congrats on the talk ☕",
    "plain words with nothing in them",
    "",
]


@given(st.lists(st.sampled_from(_CASES), max_size=3), st.text(max_size=40))
def test_fast_ascii_rules_agree_with_the_case_insensitive_rules(
    parts: list[str], noise: str
) -> None:
    from netweave.relationships import giving, ties

    text = " ".join([*parts, noise])
    slow = next(
        ((label, reason) for label, reason, pattern in giving._RULES if pattern.search(text)),
        None,
    )
    fast = next(
        (
            (label, reason)
            for label, reason, pattern in (giving._RULES_ASCII if text.isascii() else giving._RULES)
            if pattern.search(text.lower() if text.isascii() else text)
        ),
        None,
    )
    assert fast == slow
    if slow is not None:
        assert (classify(text).label, classify(text).reason) == slow
    assert ties.intimacy_words(text) == len(ties._INTIMATE.findall(text))


def test_only_four_characters_fold_to_ascii_letters() -> None:
    import re

    from netweave.relationships import _ascii

    letter = re.compile("[a-z]", re.IGNORECASE)
    folding = {chr(c) for c in range(0x80, 0x110000) if letter.fullmatch(chr(c))}
    assert folding == set(_ascii._FOLDS_TO_ASCII)


_WIDE = "İıſKKéÉ٣²_ \u00a0\u200b☕🎉-'%@/?"


@given(
    st.lists(
        st.sampled_from(_CASES) | st.text(alphabet=_WIDE + "abcikrsy0123 ", max_size=8),
        max_size=6,
    )
)
def test_ascii_stand_ins_match_like_the_case_insensitive_rules(parts: list[str]) -> None:
    """Every rule, and the intimacy words, give the same matches on the stand-in of a wide
    text as their case-insensitive form on the text itself."""
    from netweave.relationships import _ascii, giving, ties

    text = "".join(parts)
    stand_in = _ascii.ascii_stand_in(text)
    assert len(stand_in) == len(text)
    assert stand_in.isascii()
    for (_, _, slow), (_, _, fast) in zip(giving._RULES, giving._RULES_ASCII, strict=True):
        assert [m.span() for m in slow.finditer(text)] == [
            m.span() for m in fast.finditer(stand_in)
        ]
    assert [m.span() for m in ties._INTIMATE.finditer(text)] == [
        m.span() for m in ties._INTIMATE_ASCII.finditer(stand_in)
    ]
