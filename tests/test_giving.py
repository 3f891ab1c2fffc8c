"""The give/get classifier on labelled examples; accuracy is reported and held to a floor."""

from __future__ import annotations

import csv
import re
from collections import Counter

import pytest
from hypothesis import given, settings
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
    assert folding == set(_ascii.FOLDS_TO_ASCII)


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


# One phrase per rule alternative, in rule order, with the rule that decides it.
_RULE_SAMPLES = [
    ("Download my guide", "asks something back"),
    ("Check out my talk", "asks something back"),
    ("Our new e-book is out", "asks something back"),
    ("Pls RT", "asks something back"),
    ("Use our code SPRING", "asks something back"),
    ("Hire me!", "asks something back"),
    ("Everything 30% off", "asks something back"),
    ("Link in bio", "asks something back"),
    ("Don't miss our stream", "asks something back"),
    ("Vote for us", "asks something back"),
    ("You two should talk", "introduction"),
    ("We must all meet", "introduction"),
    ("Introducing you to Ana", "introduction"),
    ("Let me introduce Bo", "introduction"),
    ("Meet @ana_tana", "introduction"),
    ("Connecting you both", "introduction"),
    ("cc @bo who did this", "introduction"),
    ("Heres what I do", "help"),
    ("Try running it twice", "help"),
    ("You might check the flags", "help"),
    ("Hope it helps", "help"),
    ("Glad to help", "help"),
    ("I can help", "help"),
    ("The fix is a restart", "help"),
    ("Documentation is at /docs", "help"),
    ("Have you tried caching?", "help"),
    ("I'd recommend pytest", "help"),
    ("That worked for me", "help"),
    ("Congratulations!", "compliment"),
    ("Superb write-up", "compliment"),
    ("Well said", "compliment"),
    ("Thank you so much to everyone", "compliment"),
    ("Kudos", "compliment"),
    ("Proud of them", "compliment"),
    ("Loving the way it reads", "compliment"),
    ("You nailed it", "compliment"),
    ("So useful", "compliment"),
    ("Those slides were gold", "compliment"),
    ("RT @ana: the launch", "shares someone else's work"),
    ("Must read: the report", "shares someone else's work"),
    ("h/t @bo", "shares someone else's work"),
    ("found via @ana", "shares someone else's work"),
    ("Great list by @bo", "shares someone else's work"),
]


def _alternatives() -> list[str]:
    from netweave.relationships import giving

    return [
        *giving._ASKS,
        *giving._INTRO,
        *giving._HELP,
        *giving._COMPLIMENT,
        *giving._SHARE_OTHERS,
    ]


def test_every_rule_alternative_has_a_sample_that_still_decides() -> None:
    alternatives = _alternatives()
    assert len(_RULE_SAMPLES) == len(alternatives)
    for (text, reason), alternative in zip(_RULE_SAMPLES, alternatives, strict=True):
        assert re.search(alternative, text, re.IGNORECASE), (text, alternative)
        assert classify(text).reason == reason, text
        assert classify(text, _prefilter=False).reason == reason, text
    # and texts with no trigger at all still get the later rules
    assert classify("Anyone know a linter?").reason == "question"
    assert classify("", kind="repost").reason == "shares someone else's work"


@pytest.mark.parametrize("alternative", _alternatives())
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_every_match_of_every_rule_alternative_holds_a_trigger(
    alternative: str, data: st.DataObject
) -> None:
    """The prefilter's literals are complete: whatever text a rule alternative matches (after
    the lowering and ASCII stand-ins classify applies), the prefilter lets it through."""
    from netweave.relationships import _ascii, giving

    text = data.draw(st.from_regex(re.compile(alternative, re.IGNORECASE)))
    searched = text.lower() if text.isascii() else _ascii.ascii_stand_in(text)
    if re.search(alternative, searched):
        assert giving._TRIGGER.search(searched), (alternative, searched)


_FRAGMENTS = [
    *(text for text, _ in _RULE_SAMPLES),
    "my",
    "our",
    "new",
    "great",
    "well",
    "must",
    "read",
    "meet",
    "help",
    "thank",
    "you",
    "should",
    "here",
    "try",
    "@ana",
    "rt",
    "%",
    "don't",
    "İ",
    "ſ",
    "K",
    "ü",
    "☕",
]


@settings(max_examples=300)
@given(
    st.lists(
        st.sampled_from(_FRAGMENTS)
        | st.text(alphabet="abcdefghiklmnoprstuvwy @'-%İıſKé☕", max_size=12),
        max_size=8,
    ),
    st.lists(st.sampled_from([" ", "", "  ", "\n", ", ", "-"]), min_size=8, max_size=8),
    st.sampled_from(["post", "reply", "dm", "repost", "comment"]),
    st.booleans(),
    st.booleans(),
)
def test_the_prefilter_never_changes_a_classification(
    parts: list[str], seps: list[str], kind: str, upper: bool, is_answer: bool
) -> None:
    text = "".join(part + sep for part, sep in zip(parts, seps, strict=False))
    if upper:
        text = text.upper()
    fast = classify(text, kind=kind, is_answer=is_answer)
    slow = classify(text, kind=kind, is_answer=is_answer, _prefilter=False)
    assert fast == slow, text


def test_the_prefilter_may_read_the_lowered_text_instead_of_the_stand_in() -> None:
    """Why the literals can be looked for before the ASCII stand-in is built: no character
    outside the folding ones lowers to anything holding ASCII, and no literal holds one of
    the other stand-ins."""
    from netweave.relationships import _ascii, giving

    lowers_to_ascii = {
        chr(c) for c in range(0x80, 0x110000) if any(x.isascii() for x in chr(c).lower())
    }
    assert lowers_to_ascii == {"\u0130", "\u212a"}
    assert lowers_to_ascii <= set(_ascii.FOLDS_TO_ASCII)
    assert not set("".join(giving._TRIGGERS)) & {"_", "0", "\0"}
    # only the stand-ins of these hold the literals ("thanks for", "introduc")
    for text, reason in [
        ("thank\u017f for", "compliment"),
        ("than\u212as for", "compliment"),
        ("\u0130ntroducing you", "introduction"),
        ("\u0131ntroducing you", "introduction"),
    ]:
        assert classify(text).reason == reason, text
        assert classify(text, _prefilter=False).reason == reason, text
