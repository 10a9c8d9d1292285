"""The prohibited-content matcher: word, phrase, regex and domain rules, disguises, spans."""

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.matching import (
    Action,
    Category,
    Kind,
    Matcher,
    RuleError,
    RuleSpec,
    strongest_action,
    validate_rule,
)
from moderation.matching.matcher import MAX_MATCHES_PER_RULE
from moderation.matching.normalise import collapse_with_runs, fold, fold_rule_words


def word(pattern, *, category="fortal", action="flag", test_mode=False, rule_id=1):
    return RuleSpec(rule_id, f"Regel {pattern}", "word", pattern, category, action, test_mode)


def hits(rules, text, **lists):
    """The matched excerpts of the original text, in order."""
    if not isinstance(rules, list):
        rules = [rules]
    return [text[m.start : m.end] for m in Matcher(rules, **lists).match(text)]


# Word boundaries, case, å/ä/ö


def test_word_rule_matches_in_any_case_and_reports_the_original_span():
    [match] = Matcher([word("idiot", category="fortal", action="hide")]).match("Din IDIOT!")

    assert (match.start, match.end) == (4, 9)
    assert match.category == Category.FORTAL
    assert match.action == Action.HIDE
    assert match.rule_id == 1


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        ("rå", "Jag har en fråga om bråk."),  # a JavaScript \b would see "rå" in "fråga"
        ("äckel", "Det var en väckelse."),
        ("fan", "Det fanns en sofa."),
        ("hål", "Håll avståndet, håla."),
        ("idiot", "Idioten och idioterna"),  # whole words only; "idiot*" takes inflections
    ],
)
def test_word_rule_never_matches_inside_a_longer_word(pattern, text):
    assert hits(word(pattern), text) == []


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("rå", "Rå, ohyfsad och rå!", ["Rå", "rå"]),
        ("äckel", "Ditt ÄCKEL.", ["ÄCKEL"]),
        ("åsna", "(Åsna)", ["Åsna"]),
    ],
)
def test_word_rule_starting_or_ending_with_a_swedish_letter_matches_the_whole_word(
    pattern, text, expected
):
    assert hits(word(pattern), text) == expected


def test_prefix_rule_matches_every_inflection_but_not_a_compound_ending_in_the_word():
    assert hits(word("idiot*"), "Idioten, idioterna och pundidiot") == ["Idioten", "idioterna"]


def test_suffix_rule_matches_compounds_ending_in_the_word():
    assert hits(word("*idiot"), "pundidiot men inte idioten") == ["pundidiot"]


def test_infix_rule_matches_the_word_anywhere_inside_a_word():
    assert hits(word("*skit*"), "Skitsnack och hundskiten, inte skidor") == [
        "Skitsnack",
        "hundskiten",
    ]


def test_phrase_matches_across_any_spacing_case_and_punctuation():
    rule = word("dra åt helvete", category="svordomar")

    assert hits(rule, "Gå och DRA  åt\nhelvete!") == ["DRA  åt\nhelvete"]
    assert hits(rule, "dra åt skogen, helvete") == []


# Disguises


@pytest.mark.parametrize(
    "disguised",
    [
        "idiiiot",
        "IDIOOOOT",
        "i d i o t",
        "i.d.i.o.t",
        "i-d-i-o-t",
        "1d10t",
        "ID10T",
        "id\u00adiot",  # soft hyphen
        "idi\u200bot",  # zero-width space
        "ｉｄｉｏｔ",  # fullwidth letters
        "іdіоt",  # Cyrillic і and о
        "ídiót",
    ],
)
def test_word_rule_sees_through_a_disguise_and_highlights_the_disguised_word(disguised):
    text = f"Du är en {disguised}, helt klart."

    assert hits(word("idiot"), text) == [disguised]


@pytest.mark.parametrize(
    ("pattern", "disguised"),
    [
        ("fan", "f@n"),
        ("svin", "5vin"),
        ("tjuv", "7juv"),
        ("hora", "h0r4"),
        ("lögnare", "1ögnare"),  # 1 read as l
        ("klant", "k1ant"),
        ("äckel", "äck3l"),
    ],
)
def test_word_rule_sees_through_digit_for_letter_swaps(pattern, disguised):
    assert hits(word(pattern), f"Din {disguised}!") == [disguised]


def test_plain_numbers_are_not_read_as_letters():
    """0→o and 5→s only apply inside words that also have letters: "055" is not "oss"."""
    assert hits(word("oss"), "Ring 055 eller kom till oss") == ["oss"]


def test_a_doubled_letter_is_a_different_word_but_a_stretched_one_is_a_disguise():
    """ "hatt" (a hat) is not "hat" and "fita" is not "fitta"; three or more is stretching."""
    assert hits(word("hat"), "En hatt och en haaat, och hat.") == ["haaat", "hat"]
    assert hits(word("fitta"), "fita fitta fiiitttta") == ["fitta", "fiiitttta"]


def test_single_letter_words_in_ordinary_text_are_not_joined_into_a_rule_word():
    """Two one-letter words stay words ("i å"); only three or more in a row are joined."""
    assert hits(word("iå"), "Vi bor i å-dalen, i å.") == []


# Spans map back to the original text (property)

FILLER = ["och", "kommunen", "fråga", "är", "bra", "snöröjning", "Åtvidaberg", "tack", "vägen"]
RULE_WORDS = ["idiot", "äckel", "fitta", "pucko", "dra åt helvete", "rövhål", "lögnare"]
SEPARATORS = [" ", ", ", "! ", " – ", "\n", "... ", " (", ") "]


def _disguise(value, how):
    if how == "stretch":
        return "".join(c * 3 if c == value[1] else c for c in value)
    if how == "spaced":
        return " ".join(value) if " " not in value else value
    if how == "dotted":
        return ".".join(value) if " " not in value else value
    if how == "leet":
        return value.translate(str.maketrans("oea", "034"))
    return value.upper() if how == "upper" else value


@settings(max_examples=60, deadline=None)
@given(
    before=st.lists(st.sampled_from(FILLER), max_size=6),
    after=st.lists(st.sampled_from(FILLER), max_size=6),
    seps=st.lists(st.sampled_from(SEPARATORS), min_size=14, max_size=14),
    rule_word=st.sampled_from(RULE_WORDS),
    how=st.sampled_from(["plain", "upper", "stretch", "spaced", "dotted", "leet"]),
)
def test_every_match_span_normalised_contains_the_rule_word(before, after, seps, rule_word, how):
    rules = [word(w, rule_id=i) for i, w in enumerate(RULE_WORDS)]
    parts = [*before, _disguise(rule_word, how), *after]
    text = "".join(part + seps[i % len(seps)] for i, part in enumerate(parts))

    matches = Matcher(rules).match(text)

    assert rules[RULE_WORDS.index(rule_word)].id in {m.rule_id for m in matches}
    for m in matches:
        wanted = collapse_with_runs(" ".join(fold_rule_words(RULE_WORDS[m.rule_id])))[0]
        excerpt = fold(text[m.start : m.end])
        assert any(wanted in excerpt.collapsed(v) for v in range(len(excerpt.variants)))


# Regular expressions


def test_regex_rule_runs_case_insensitively_on_the_original_text():
    rule = RuleSpec(7, "Köp nu", "regex", r"k[öo]p\s+nu", "reklam", "flag")

    [match] = Matcher([rule]).match("Bästa priset, KÖP  NU!")

    assert (match.start, match.end, match.category) == (14, 21, Category.REKLAM)


def test_regex_rule_without_a_required_literal_still_runs():
    rule = RuleSpec(7, "Pris", "regex", r"\d{3,}\s*(?:kr|:-)", "reklam", "flag")

    assert hits(rule, "Bara 499:- idag") == ["499:-"]


def test_regex_prefilter_never_requires_an_optional_literal():
    rule = RuleSpec(7, "Priser", "regex", r"(?:jättebilliga\s+)?priser\s+nu", "reklam", "flag")

    assert hits(rule, "Låga priser nu!") == ["priser nu"]


def test_regex_prefilter_finds_a_literal_with_digits_inside_a_word_read_as_leet():
    """ "mp3" is folded to "mpe" for the word rules; the regex literal is still found."""
    rule = RuleSpec(7, "Piratkopior", "regex", r"mp3\s+(?:gratis|här)", "upphovsratt", "hide")

    assert hits([rule, word("idiot")], "Ladda ner MP3 gratis") == ["MP3 gratis"]


def test_regex_prefilter_finds_a_literal_with_an_accent_the_fold_drops():
    rule = RuleSpec(7, "Entré", "regex", r"(?:billig|gratis)\s+entré", "reklam", "flag")

    assert hits([rule, word("idiot")], "Gratis entré i kväll") == ["Gratis entré"]


def test_regex_prefilter_honours_python_case_folding_of_long_s():
    """Python's IGNORECASE lets "s" match "ſ"; the literal prefilter must not hide that."""
    rule = RuleSpec(7, "Sex", "regex", r"sexfilm", "vald_pornografi", "hide")

    assert hits(rule, "Gratis ſexfilm här") == ["ſexfilm"]


def test_a_regex_that_does_not_compile_is_refused_with_a_swedish_error():
    with pytest.raises(RuleError) as error:
        validate_rule(RuleSpec(1, "Trasig", "regex", r"(köp|sälj", "reklam"))

    assert error.value.field == "pattern"
    assert "går inte att tolka" in error.value.message


def test_a_regex_that_matches_empty_text_is_refused():
    with pytest.raises(RuleError, match="tom text"):
        validate_rule(RuleSpec(1, "Allt", "regex", r"\d*", "reklam"))


@pytest.mark.parametrize(
    "pattern", [r"(a+)+b", r"(\w+\s?)+!", r"(?:gratis|(?:köp)+)+!", r"(a?){30}a{30}"]
)
def test_a_regex_that_would_backtrack_for_minutes_in_python_runs_at_once_on_re2(pattern):
    """Python's re takes over a minute on (a+)+b and 30 letters; RE2 never backtracks
    (test_matching_engine.py has the probe's patterns on long texts)."""
    validate_rule(RuleSpec(1, "Farlig", "regex", pattern, "reklam"))

    text = "a" * 29 + "?"
    assert Matcher([RuleSpec(1, "Farlig", "regex", pattern, "reklam")]).match(text) == []


@pytest.mark.parametrize("pattern", [r"(?:\d{3}[ -]?){2}", r"(?:ab)+", r"(?:köp|sälj)\s+\w+"])
def test_a_regex_with_bounded_or_fixed_repeats_is_accepted(pattern):
    validate_rule(RuleSpec(1, "Ofarlig", "regex", pattern, "reklam"))


def test_matcher_refuses_to_compile_a_bad_rule():
    with pytest.raises(RuleError):
        Matcher([word("idiot"), RuleSpec(2, "Trasig", "regex", "[", "reklam")])


# Domain rules


def test_domain_rule_matches_links_to_the_domain_and_its_subdomains_only():
    rule = RuleSpec(9, "Porrsajt", "domain", "porr.example", "vald_pornografi", "hide")
    text = "https://porr.example/a www.sub.porr.example porr.example.com/x notporr.example"

    matches = [m for m in Matcher([rule]).match(text) if m.rule_id == 9]

    assert [text[m.start : m.end] for m in matches] == [
        "https://porr.example/a",
        "www.sub.porr.example",
    ]
    assert {(m.category, m.action) for m in matches} == {(Category.VALD_PORNOGRAFI, Action.HIDE)}


# Validation


@pytest.mark.parametrize(
    ("spec", "field", "message"),
    [
        (RuleSpec(1, "x", "word", "id*iot", "fortal"), "pattern", "asterisk"),
        (RuleSpec(1, "x", "word", "!!!", "fortal"), "pattern", "bokstav eller siffra"),
        (RuleSpec(1, "x", "word", "a", "fortal"), "pattern", "för kort"),
        (RuleSpec(1, "x", "word", "ab*", "fortal"), "pattern", "för kort"),
        (RuleSpec(1, "x", "word", "   ", "fortal"), "pattern", "Ange"),
        (RuleSpec(1, "x", "domain", "https://exempel.se/x", "lankar"), "pattern", "domän"),
        (RuleSpec(1, "x", "domain", "localhost", "lankar"), "pattern", "domän"),
        (RuleSpec(1, "x", "word", "idiot", "okand"), "category", "kategori"),
        (RuleSpec(1, "x", "word", "idiot", "fortal", "radera"), "action", "åtgärd"),
        (RuleSpec(1, "x", "lista", "idiot", "fortal"), "kind", "regeltyp"),
    ],
)
def test_validate_rule_refuses_unusable_rules_naming_the_field(spec, field, message):
    with pytest.raises(RuleError) as error:
        validate_rule(spec)

    assert error.value.field == field
    assert message in error.value.message


def test_validate_rule_accepts_every_kind():
    for spec in [
        RuleSpec(1, "Ord", Kind.WORD, "idiot*", Category.FORTAL, Action.HIDE),
        RuleSpec(2, "Fras", "word", "dra åt helvete", "svordomar"),
        RuleSpec(3, "Uttryck", "regex", r"köp\s+nu", "reklam"),
        RuleSpec(4, "Domän", "domain", "Exempel.SE", "lankar"),
    ]:
        validate_rule(spec)


def test_categories_have_the_guideline_slugs_and_swedish_labels():
    assert [value for value, _label in Category.choices] == [
        "fortal",
        "hets",
        "vald_pornografi",
        "brott",
        "upphovsratt",
        "svordomar",
        "reklam",
        "sekretess",
        "lankar",
        "personuppgifter",
    ]
    assert str(Category.SVORDOMAR.label) == "Svordomar eller oanständiga ord"


# Test mode, the strongest action and "try a text"


def test_a_test_mode_rule_records_its_match_but_never_acts():
    rules = [word("idiot", action="hide", test_mode=True), word("pucko", rule_id=2)]

    matches = Matcher(rules).match("idiot och pucko")

    assert [m.test_mode for m in matches] == [True, False]
    assert strongest_action(matches) == Action.FLAG
    assert strongest_action(matches[:1]) is None


def test_hide_beats_flag():
    matches = Matcher([word("idiot"), word("pucko", action="hide", rule_id=2)]).match(
        "idiot och pucko"
    )

    assert strongest_action(matches) == Action.HIDE


def test_try_text_shows_what_would_match_and_why_including_test_mode_rules():
    matcher = Matcher(
        [
            word("idiot*", action="hide"),
            RuleSpec(2, "Rabatt", "regex", r"\d+\s*%\s*rabatt", "reklam", "flag", True),
        ]
    )

    first, second = matcher.try_text("1d10ten ger 50 % rabatt")

    assert first.excerpt == "1d10ten"
    assert "börjar med «idiot»" in first.reason
    assert "döljs direkt" in first.reason
    assert second.excerpt == "50 % rabatt"
    assert "Reklam" in second.reason
    assert "testläge" in second.reason


def test_a_long_text_full_of_hits_is_matched_word_by_word_and_capped_per_rule():
    text = "idiot " * 10_000 + "dumbom"

    matches = Matcher([word("idiot"), word("dumbom", rule_id=2)]).match(text)

    assert len(matches) == MAX_MATCHES_PER_RULE + 1
    assert [(m.start, m.end) for m in matches[:-1]] == [
        (6 * i, 6 * i + 5) for i in range(MAX_MATCHES_PER_RULE)
    ]
    assert (matches[-1].start, matches[-1].end, matches[-1].rule_id) == (60_000, 60_006, 2)


def test_the_matcher_runs_without_django_settings():
    """A pure module: scripts and benchmarks use it without configuring Django."""
    code = (
        "from moderation.matching import Matcher, RuleSpec;"
        "r = RuleSpec(1, 'Idiot', 'word', 'idiot*', 'fortal');"
        "print(len(Matcher([r]).match('Idioterna! 811218-9876')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        env={"PATH": "/usr/bin:/bin"},
        check=False,
    )

    assert result.stdout.strip() == "2", result.stderr


PLAIN_CHARS = "abcdeioåäöÅÄÖ013457 .,!?-_@$/\n\t"
ANY_TEXT = st.one_of(
    st.text(alphabet=PLAIN_CHARS, max_size=40),  # takes the fast path unless @ or $ occur
    st.text(
        alphabet=st.one_of(
            st.sampled_from(PLAIN_CHARS),
            st.sampled_from("\u00ad\u200b\u0301\u030aéüøæßİıſіо²１ｉ😡«»–"),
            st.characters(codec="utf-8"),
        ),
        max_size=40,
    ),
)


@settings(max_examples=150, deadline=None)
@given(text=ANY_TEXT)
def test_any_text_maps_every_folded_word_back_to_a_span_of_the_original(text):
    """Fast and slow folding agree with the word finder, so highlighting never points astray."""
    folded = fold(text)

    spans = folded.word_spans()
    for variant in folded.variants:
        assert len(variant.split()) == len(spans)
    assert all(0 <= start < end <= len(text) for start, end in spans)


@settings(max_examples=100, deadline=None)
@given(text=ANY_TEXT)
def test_any_text_is_matched_without_error_and_spans_lie_in_the_text(text):
    rules = [word("ab"), word("a b", rule_id=2), word("*abc*", rule_id=3), word("öö", rule_id=4)]
    matcher = Matcher(rules)

    for m in matcher.match(text):
        assert 0 <= m.start < m.end <= len(text)
