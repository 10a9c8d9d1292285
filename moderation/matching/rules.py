"""A rule as the matcher reads it (`RuleSpec`) and its validation (`validate_rule`).

A word rule is folded like the text it will be matched against (normalise.py) and becomes an
automaton key: a space at each end marks a whole word, a ``*`` at an end removes that space.
A regular expression must compile (for RE2, see engine.py: no backreferences, no lookaround),
may not match empty text, and gives the matcher a literal to look for first. A domain rule is
a bare host name.
"""

import re
from dataclasses import dataclass
from re import _constants, _parser  # type: ignore[attr-defined]

from django.utils.translation import gettext as _

from . import detectors
from .categories import Action, Category, Kind
from .engine import RegexRule, Unsupported
from .normalise import collapse_with_runs, fold_rule_words

MAX_WORD_LENGTH = 200
MAX_REGEX_LENGTH = 500
REGEX_FLAGS = re.IGNORECASE
_DOMAIN_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


class RuleError(ValueError):
    """A rule that cannot be used, with a Swedish message for the rule form and its field."""

    def __init__(self, message: str, *, field: str = "pattern"):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One prohibited-content rule as the matcher needs it (the database model maps to it)."""

    id: int | str
    name: str
    kind: Kind | str
    pattern: str
    category: Category | str
    action: Action | str = Action.FLAG
    test_mode: bool = False


def validate_rule(spec: RuleSpec) -> None:
    """Refuse a rule the matcher cannot use, with a Swedish message naming the field."""
    if spec.kind not in Kind.__members__.values():
        raise RuleError(
            _("Okänd regeltyp: välj ord eller fras, reguljärt uttryck eller domän."), field="kind"
        )
    if spec.category not in Category.__members__.values():
        raise RuleError(_("Okänd kategori."), field="category")
    if spec.action not in Action.__members__.values():
        raise RuleError(_("Okänd åtgärd: välj flagga eller dölj."), field="action")
    pattern = (spec.pattern or "").strip()
    if not pattern:
        raise RuleError(_("Ange ett ord, ett uttryck eller en domän."))
    if spec.kind == Kind.WORD:
        word_key(pattern)
    elif spec.kind == Kind.REGEX:
        compile_regex(pattern)
    else:
        domain_of(pattern)


def word_key(pattern: str) -> tuple[str, str, list[int]]:
    """A word rule's automaton key (spaces mark whole-word ends), collapsed key and runs."""
    if len(pattern) > MAX_WORD_LENGTH:
        raise RuleError(
            _("Ordet eller frasen får vara högst %(n)d tecken.") % {"n": MAX_WORD_LENGTH}
        )
    starts_open, ends_open = pattern.startswith("*"), pattern.endswith("*")
    core = pattern.strip("*").strip()
    if "*" in core:
        raise RuleError(_("En asterisk (*) får bara stå först eller sist i ordet."))
    words = fold_rule_words(core)
    if not words:
        raise RuleError(_("Ordet måste innehålla minst en bokstav eller siffra."))
    key = " ".join(words)
    minimum = 3 if (starts_open or ends_open) else 2
    if len(key) < minimum:
        raise RuleError(
            _("Ordet är för kort: det skulle träffa för mycket. Använd minst %(n)d tecken.")
            % {"n": minimum}
        )
    key = ("" if starts_open else " ") + key + ("" if ends_open else " ")
    return (key, *collapse_with_runs(key))


def compile_regex(pattern: str) -> RegexRule:
    """The rule's pattern for RE2 (engine.py), or a RuleError saying why it cannot be used."""
    if len(pattern) > MAX_REGEX_LENGTH:
        raise RuleError(_("Uttrycket får vara högst %(n)d tecken.") % {"n": MAX_REGEX_LENGTH})
    try:
        compiled = re.compile(pattern, REGEX_FLAGS)
    except re.error as error:
        raise RuleError(
            _("Det reguljära uttrycket går inte att tolka: %(error)s (vid tecken %(pos)s).")
            % {"error": error.msg, "pos": (error.pos or 0) + 1}
        ) from error
    try:
        rule = RegexRule(pattern, REGEX_FLAGS)
    except Unsupported as error:
        raise RuleError(str(error)) from error
    if compiled.search(""):
        raise RuleError(_("Uttrycket matchar tom text och skulle träffa allt. Gör det strängare."))
    return rule


def domain_of(pattern: str) -> str:
    domain = detectors.normalise_domain(pattern)
    labels = domain.split(".")
    if len(labels) < 2 or not all(_DOMAIN_LABEL.fullmatch(label) for label in labels):
        raise RuleError(_("Ange en domän som exempel.se, utan http://, snedstreck eller sökväg."))
    return domain


_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyz0123456789åäö")
# ASCII punctuation and spaces: folding turns any run of them into the one space between words.
_SEPARATORS = frozenset(chr(c) for c in range(0x80) if not chr(c).isalnum() and chr(c) not in "@$")


def required_literal(pattern: str) -> str | None:
    r"""The longest piece of folded text that every match of ``pattern`` leaves there, if any.

    Letters and digits: only ASCII ones and å, ä, ö are taken, since everything Python's
    case-insensitive matching treats as one of those (ſ, the Kelvin sign ...) folds to it.
    Whitespace or ASCII punctuation between words (``\s+``, ``-``) is the folded text's one
    space, so ``köp\s+nu`` gives "köp nu", a far rarer piece than "köp". A word next to such a
    space needs two letters: one-letter words in a row are joined ("k ö p" → köp).
    """
    best = ""

    def flush(chain: str) -> None:
        """Take the best piece of ``chain``: letters and digits, a space for each gap."""
        nonlocal best
        words = chain.split(" ")
        if len(words) == 1:
            best = max(best, chain, key=len)
            return
        group: list[int] = []
        for i, word in enumerate([*words, ""]):
            if len(word) >= 2:
                group.append(i)
                continue
            if group:
                piece = " ".join(words[group[0] : group[-1] + 1])
                piece = (" " if group[0] > 0 else "") + piece
                piece += " " if group[-1] < len(words) - 1 else ""
                best = max(best, piece, key=len)
            group = []

    def walk(items) -> None:
        chain = ""
        for op, value in items:
            if _is_gap(op, value):
                chain += "" if chain.endswith(" ") else " "
                continue
            if op is _constants.LITERAL and chr(value).lower() in _PLAIN:
                chain += chr(value).lower()
                continue
            flush(chain)
            chain = ""
            if op is _constants.SUBPATTERN:
                walk(value[-1])
            elif op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT) and value[0] >= 1:
                walk(value[2])
        flush(chain)

    walk(_parser.parse(pattern, REGEX_FLAGS))
    return best if len(best) >= 2 else None


def _is_gap(op, value) -> bool:
    """Whether an element matches only whitespace or ASCII punctuation, at least once."""
    if op is _constants.LITERAL:
        return chr(value) in _SEPARATORS
    if op is _constants.IN:
        return all(
            (kind is _constants.CATEGORY and what is _constants.CATEGORY_SPACE)
            or (kind is _constants.LITERAL and chr(what) in _SEPARATORS)
            for kind, what in value
        )
    if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT):
        low, _high, body = value
        return low >= 1 and len(body) == 1 and _is_gap(*body[0])
    return False
