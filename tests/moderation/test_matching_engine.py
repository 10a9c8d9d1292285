"""Regular-expression rules on RE2 (moderation/matching/engine.py): linear time on any text,
Python's meaning kept (Unicode \\w, \\b, $), what RE2 cannot run refused, the text bounded."""

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.matching import Action, Matcher, RuleError, RuleSpec, validate_rule
from moderation.matching.engine import MAX_REJECTED
from moderation.matching.matcher import MAX_MATCHES_PER_RULE, REGEX_TEXT_LIMIT

# The probe's patterns: each backtracks without bound in Python's re on the text beside it.
CATASTROPHIC = [
    (r"(a|aa)+$", "a" * 9_999 + "!"),
    (r"(a|ab|b)+c", "ab" * 5_000),
    (r".*.*.*.*=", "x" * 10_000),
    (r"[a-z]+[a-z]+[a-z]+[a-z]+!", "a" * 10_000),
    (r"(.*a){10}x", "a" * 10_000),
    (r"(a.*){8}!!", "a" * 9_999 + "!"),
]


def regex(pattern, *, rule_id=1, action="flag", test_mode=False):
    return RuleSpec(rule_id, f"Regel {rule_id}", "regex", pattern, "fortal", action, test_mode)


@pytest.mark.parametrize(("pattern", "text"), CATASTROPHIC)
def test_a_catastrophic_pattern_is_accepted_and_reads_10000_characters_at_once(pattern, text):
    matcher = Matcher([regex(pattern)])

    started = time.process_time()
    matches = matcher.match(text)

    assert time.process_time() - started < 2
    assert [m.source for m in matches] == []


def test_all_the_catastrophic_patterns_together_still_find_what_they_should():
    matcher = Matcher([regex(p, rule_id=i) for i, (p, _text) in enumerate(CATASTROPHIC)])
    text = "b" * 10_000 + " aa"

    started = time.process_time()
    matches = matcher.match(text)

    assert time.process_time() - started < 3
    assert {m.rule_id for m in matches} == {0}  # (a|aa)+$ on the last word


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (r"(?=köp)köp\w+", "Lookahead"),
        (r"(?<!gratis )entré", "Lookahead"),
        (r"(\w+) \1", "Bakåtreferenser"),
        (r"(a)?(?(1)b|c)", "Bakåtreferenser"),
        (r"(?>köp)+", "Atomära"),
        (r"köp++", "Atomära"),
        (r"[^\W\d]+idiot", "negerad teckenklass"),
        (r"(?:[a-zåäö]{1,30}\w{1,30}){1,30}x", "för stort"),
    ],
)
def test_a_pattern_re2_cannot_run_is_refused_with_a_swedish_message(pattern, message):
    with pytest.raises(RuleError, match=message) as error:
        validate_rule(regex(pattern))

    assert error.value.field == "pattern"


def test_the_starter_rules_of_the_migration_compile_and_match_swedish_words():
    """\\b is Unicode's, as in Python: "\\bär" matches "du är" but not "svär"."""
    from importlib import import_module

    starter = import_module("moderation.migrations.0003_starter_rules_and_policies")
    rules = [
        RuleSpec(i, name, kind, pattern, category, action)
        for i, (name, kind, pattern, category, action) in enumerate(starter.RULES)
        if kind == "regex"
    ]
    matcher = Matcher(rules)

    assert [m.rule_id for m in matcher.match("Du är en pedofil.")] == [rules[0].id]
    assert matcher.match("Jag svär en pedofil") == []
    assert [m.rule_id for m in matcher.match("DÖDA HONOM!")] == [rules[2].id]
    assert matcher.match("döda honoms") == []
    assert matcher.match("Ut med allas åsikter") == []


PATTERNS = [
    r"\bär\b",
    r"\Bö",
    r"\w+ö\b",
    r"\d+\s*kr",
    r"[\w.-]+@\w+",
    r"\W+",
    r"[^\d\s]{2}",
    r"k[öo]p\s+nu",
    r"(?:a|å)+$",
    r"^ä",
    r"(?m)^ä.$",
    r"(?s)a.b",
    r"a.b",
    r"(?-i:Ä)\w",
    r"[a-zåäö]{2,3}?x",
    r"(a|ab)(c|bcd)",
    r"\bidiot\w*",
    r"\S+\Z",
    r"[\s\W]ä",
]
ALPHABET = "aäåöÄÖbcdkopnux1٣_ -.@\n\t\u00a0éß"


@settings(max_examples=300, deadline=None)
@given(pattern=st.sampled_from(PATTERNS), text=st.text(alphabet=ALPHABET, max_size=30))
def test_a_rule_finds_what_pythons_re_finds(pattern, text):
    """The translation keeps Python's meaning: the same spans as re.finditer, in order."""
    python = [
        m.span()
        for m in re.finditer(pattern, text, re.IGNORECASE)
        if m.end() > m.start()
    ][:MAX_MATCHES_PER_RULE]  # fmt: skip
    if re.search(pattern, "", re.IGNORECASE):
        return  # refused: it matches empty text
    matches = Matcher([regex(pattern)]).match(text)
    found = [(m.start, m.end) for m in matches if m.source == "regex"]

    assert found == python


def test_spans_are_characters_of_the_original_text_after_non_ascii_letters():
    [match] = Matcher([regex(r"köp\s+nu")]).match("Åh, ÄNTLIGEN: köp  nu!")

    assert (match.start, match.end) == (14, 21)


def test_matches_are_capped_per_rule():
    matches = Matcher([regex(r"\bköp\b")]).match("köp " * 1_000)

    assert len(matches) == MAX_MATCHES_PER_RULE


def test_a_text_longer_than_the_limit_is_flagged_when_the_rule_could_not_read_its_end():
    text = "x" * 30 + " köp nu"
    matcher = Matcher([regex(r"köp\s+nu", action="hide")], regex_text_limit=20)

    [match] = matcher.match(text)

    assert (match.source, match.action, match.start, match.end) == (
        "regex_unchecked",
        Action.FLAG,
        20,
        len(text),
    )
    assert match.rule_name == "Regel 1 (läste inte hela texten, granska själv)"
    [explained] = matcher.try_text(text)
    assert "första 20 tecknen" in explained.reason
    assert "(regeln «Regel 1»)" in explained.reason


def test_a_rule_that_matched_in_what_it_read_needs_no_flag_for_the_rest():
    text = "köp nu " + "x" * 30
    matcher = Matcher([regex(r"köp\s+nu", action="hide")], regex_text_limit=20)

    assert [m.source for m in matcher.match(text)] == ["regex"]


def test_the_default_limit_reads_20000_characters():
    assert REGEX_TEXT_LIMIT >= 20_000
    text = "x" * 19_990 + " köp nu"

    assert [m.source for m in Matcher([regex(r"köp\s+nu")]).match(text)] == ["regex"]


def test_no_boundary_or_end_holds_where_the_limit_cut_the_text():
    """The text goes on after "idiot": neither \\b nor $ holds there."""
    matcher = Matcher([regex(r"\bidiot$")], regex_text_limit=9)

    [match] = matcher.match("du  idiotisk")

    assert match.source == "regex_unchecked"


def test_a_rule_whose_boundary_checks_fail_too_often_flags_the_item_for_a_person():
    """RE2's candidates for \\b are checked in Python; past MAX_REJECTED the rule stops."""
    text = "aé" * (MAX_REJECTED + 5)  # "a" then "é": never a boundary after "a"
    matcher = Matcher([regex(r"a\b", action="hide", test_mode=True)])

    started = time.process_time()
    [match] = matcher.match(text)

    assert time.process_time() - started < 2
    assert (match.source, match.action, match.test_mode) == ("regex_unchecked", Action.FLAG, True)
    assert (match.start, match.end) == (0, len(text))
    [explained] = matcher.try_text(text)
    assert "kunde inte avgöra" in explained.reason
