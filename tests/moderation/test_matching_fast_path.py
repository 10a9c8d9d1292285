"""Each shortcut of the matcher gives what the slower, general way gives: folding, matching,
the regex prefilter and the link pre-test."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.matching import Matcher, RuleSpec
from moderation.matching.detectors import _TLD_LOWER, link_spans, might_link
from moderation.matching.normalise import WORD_RE, _fold, fold, fold_plain, has_letter_run
from moderation.matching.rules import required_literal

WORDS = ["och", "fråga", "Åtvidaberg", "snöröjning", "idé", "café", "Ære", "straße", "µg"]
RULE_WORDS = ["idiot", "äckel", "fitta", "klant", "hat", "i", "å", "ö", "mp3", "1d10t"]
LINKS = ["https://exempel.se/x?y=1", "WWW.Exempel.example/sida", "kolla.nu", "per@gmail.com"]
SEPARATORS = [" ", "  ", ", ", ". ", "! ", " – ", "\n", "...", " (", ") ", "-", "/", "\u00a0"]


def _disguised(word: str, how: str) -> str:
    return {
        "upper": word.upper(),
        "stretch": "".join(c * 3 if i == 1 else c for i, c in enumerate(word)),
        "spaced": " ".join(word),
        "dotted": ".".join(word),
        "leet": word.translate(str.maketrans("oiea", "0134")),
        "sign": word.replace("a", "@").replace("s", "$"),
        "accent": word.replace("e", "é").replace("i", "í"),
        "soft": word[:2] + "\u00ad" + word[2:],
    }.get(how, word)


DISGUISES = ["plain", "upper", "stretch", "spaced", "dotted", "leet", "sign", "accent", "soft"]
PIECES = st.one_of(
    st.sampled_from(WORDS),
    st.builds(
        _disguised,
        st.sampled_from(RULE_WORDS),
        st.sampled_from(DISGUISES),
    ),
    st.sampled_from(LINKS),
    st.from_regex(r"[0-9]{1,4}|[a-zåäö]{1,3}|[a-z]{1,2}[0-9]{1,2}|[a-z] [a-z]", fullmatch=True),
    st.text(alphabet="aeiouåäöÅÄÖé0123456789@$.,!?-_ ", max_size=6),
)
TEXTS = st.builds(
    lambda pieces, seps: "".join(p + seps[i % len(seps)] for i, p in enumerate(pieces)),
    st.lists(PIECES, max_size=12),
    st.lists(st.sampled_from(SEPARATORS), min_size=1, max_size=6),
)
RULES = [
    RuleSpec(i, f"Regel {pattern}", "word", pattern, "fortal")
    for i, pattern in enumerate(
        ["idiot", "äckel*", "*fitta", "klant", "hat", "mp3", "i d", "och fråga", "*ide*", "café"]
    )
] + [
    RuleSpec(20, "Köp", "regex", r"k[öo]p\s+\w+", "reklam"),
    RuleSpec(21, "Siffror", "regex", r"\d{3}", "reklam"),
    RuleSpec(22, "Domän", "domain", "exempel.se", "lankar"),
]


@settings(max_examples=200, deadline=None)
@given(text=TEXTS)
def test_fast_folding_of_latin1_text_equals_the_general_folding(text):
    fast, general = fold(text), _fold(text, fast=False)

    assert fast.variants == general.variants
    assert fast.digits == general.digits
    assert fast.word_spans() == general.word_spans()
    assert fast.word_spans(upto=2) == general.word_spans(upto=2)


@settings(max_examples=200, deadline=None)
@given(text=TEXTS)
def test_plain_folding_is_the_full_folding_unless_one_letter_words_run(text):
    plain = fold_plain(text)

    if plain is not None and not has_letter_run(plain[0][-1]):
        folded = fold(text)
        assert folded.variants == plain[0]
        assert plain[1].count(b"0") == folded.digits
        assert [m.span() for m in WORD_RE.finditer(text)] == folded.word_spans()


FAST = Matcher(RULES, allowed_domains=["gmail.com"], blocked_domains=["kolla.nu"])
GENERAL = Matcher(RULES, allowed_domains=["gmail.com"], blocked_domains=["kolla.nu"])
GENERAL._fast = False


@settings(max_examples=200, deadline=None)
@given(text=TEXTS)
def test_the_plain_text_path_finds_exactly_what_the_general_path_finds(text):
    assert FAST.match(text) == GENERAL.match(text)


def test_a_spaced_out_word_with_a_digit_for_a_letter_is_seen_through():
    """Joined, "i d 1 o t" mixes letters and digits though no letter touched a digit before."""
    matcher = Matcher([RuleSpec(1, "Idiot", "word", "idiot", "fortal")])

    assert [m.start for m in matcher.match("Du är en i d 1 o t.")] == [9]


@pytest.mark.parametrize(
    ("text", "start"), [("Du är en i d i o t och en a b.", 9), ("Vilken f a n det är, i å.", 7)]
)
def test_a_run_of_one_letter_words_is_joined_on_the_plain_text_path(text, start):
    """The plain path joins where its automaton counted three one-letter words in a row."""
    matcher = Matcher(
        [
            RuleSpec(1, "Idiot", "word", "idiot", "fortal"),
            RuleSpec(2, "Fan", "word", "fan", "svordomar"),
        ]
    )

    assert [m.start for m in matcher.match(text)] == [start]


@pytest.mark.parametrize("link", ["WWW.Exempel.example/sida", "HTTPS://Exempel.example/x"])
def test_a_link_with_a_scheme_or_www_in_capitals_is_found_whole(link):
    text = f"Se {link}."

    assert [text[start:end] for start, end, _host in link_spans(text)] == [link]


# The regex prefilter: the literal it looks for is always in the folded text when the
# expression matches, or a rule would silently stop matching.

REGEX_WORDS = ["köp", "nu", "ring", "mp3", "kr", "ab", "x", "å", "y", "entré", "55"]
# (in the expression, in the text): mostly a text the expression matches there.
GAPS = [
    (r"\s+", " "), (r"\s+", "\n\u00a0"), (r"\s", "\t"), (" ", " "), ("-", "-"), ("@", "@"),
    (r"[\s-]+", " - "), (r"\s*", ""), (r"\s*", "  "), (".", "x"), (".", " "), (r"\.", "."),
    (r"[ ]{1,3}", "   "), (",? ", ", "), (r"\s+", "\u00ad "), (r"\s+", " x y "), ("", ""),
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.sampled_from(REGEX_WORDS), min_size=1, max_size=4),
    gaps=st.lists(st.sampled_from(GAPS), min_size=3, max_size=3),
    before=st.sampled_from(["", "a b ", "Se ", "x", "1"]),
    upper=st.booleans(),
)
def test_a_regex_literal_is_in_the_folded_text_whenever_the_regex_matches(
    words, gaps, before, upper
):
    pattern = words[0] + "".join(g + w for (g, _), w in zip(gaps, words[1:], strict=False))
    text = words[0] + "".join(g + w for (_, g), w in zip(gaps, words[1:], strict=False))
    text = f"{before}{text} slut"
    text = text.upper() if upper else text
    literal = required_literal(pattern)

    if literal is not None and re.search(pattern, text, re.IGNORECASE):
        assert any(literal in variant for variant in fold(text).variants)


@settings(max_examples=200, deadline=None)
@given(
    text=st.one_of(
        TEXTS,
        st.lists(
            st.sampled_from(
                ["WWW.", "wWw.", ".SE", ".Nu", ".se", "://", "ſ", "\u212a", ".", " ", "-", "É"]
            ),
            max_size=5,
        ).map("".join),
    )
)
def test_the_quick_link_test_on_latin1_bytes_says_what_the_lower_cased_text_says(text):
    lowered = text.lower()
    exact = "." in lowered and (
        _TLD_LOWER.search(lowered) is not None or "://" in lowered or "www." in lowered
    )

    assert might_link(text) == exact
