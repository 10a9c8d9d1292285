"""Regular-expression rules on RE2: time linear in the text, whatever the pattern.

A rule is written in Python's syntax (what the rule form has always taken) and translated,
from Python's own parse of it, into an RE2 pattern with the same meaning: ``\\w``, ``\\d``,
``\\s`` and case-insensitivity are Unicode's, as in Python. RE2 never backtracks, so
``(a|aa)+$`` costs the same on any text as ``abc`` does; what it cannot do (backreferences,
lookahead and lookbehind, atomic groups) is refused when the rule is saved.

``\\b`` and ``\\B`` are RE2's only on ASCII letters, which would break Swedish words ("\\bär"
never matched "du är"): each becomes an empty group, and the place RE2 reports for it is
checked against Python's Unicode word characters. Python's ``$`` (the end, or before a last
line break) is RE2's line end, checked the same way. A candidate whose check fails is searched
past; after `MAX_REJECTED` such candidates on one text the rule gives up and says so, so that a
person reads the text (`RegexRule.spans` yields ``None``).
"""

from re import _constants, _parser  # type: ignore[attr-defined]

import re2
from django.utils.translation import gettext as _

# RE2 may use this much memory per rule: the compiled program (a pattern that needs more is
# refused as too large) and the cache of its DFA. Within it a scan is linear in the text.
MAX_MEMORY = 2 << 20
MAX_REJECTED = 100

_WORD = r"\p{L}\p{N}_"
_DIGIT = r"\p{Nd}"
# Python's \s on str: what str.isspace() is true for.
_SPACE = (
    r"\t-\r\x{1c}-\x{20}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}"
    r"\x{205f}\x{3000}"
)
_CATEGORIES = {
    _constants.CATEGORY_DIGIT: (True, _DIGIT),
    _constants.CATEGORY_NOT_DIGIT: (False, _DIGIT),
    _constants.CATEGORY_SPACE: (True, _SPACE),
    _constants.CATEGORY_NOT_SPACE: (False, _SPACE),
    _constants.CATEGORY_WORD: (True, _WORD),
    _constants.CATEGORY_NOT_WORD: (False, _WORD),
}
_FLAGS = {_constants.SRE_FLAG_IGNORECASE: "i", _constants.SRE_FLAG_MULTILINE: "m",
          _constants.SRE_FLAG_DOTALL: "s"}  # fmt: skip
_UNSUPPORTED_FLAGS = _constants.SRE_FLAG_ASCII | _constants.SRE_FLAG_LOCALE


class Unsupported(ValueError):
    """A construct RE2 cannot run; the message is Swedish, for the rule form."""


def _options() -> re2.Options:
    options = re2.Options()
    options.max_mem = MAX_MEMORY
    options.log_errors = False
    return options


class RegexRule:
    """One rule's pattern compiled for RE2, with the places of its ``\\b``, ``\\B`` and ``$``."""

    def __init__(self, pattern: str, flags: int):
        parsed = _parser.parse(pattern, flags)
        global_flags = parsed.state.flags
        if global_flags & _UNSUPPORTED_FLAGS:
            raise Unsupported(_("Flaggorna (?a) och (?L) stöds inte."))
        translator = _Translator()
        multiline = bool(global_flags & _constants.SRE_FLAG_MULTILINE)
        body = translator.sequence(parsed, multiline=multiline)
        prefix = "".join(letter for flag, letter in _FLAGS.items() if global_flags & flag)
        self.translated = (f"(?{prefix})" if prefix else "") + body
        self.markers: list[str] = translator.markers  # per group: "b" \b, "B" \B, "$" $
        try:
            self.compiled = re2.compile(self.translated, _options())
        except re2.error as error:
            raise Unsupported(
                _(
                    "Uttrycket blir för stort att köra säkert (för många eller för stora "
                    "upprepningar). Gör det enklare."
                )
            ) from error

    def spans(self, data: bytes, *, limit: int = 20, whole: bool = True):
        """Up to ``limit`` (start, end) byte spans of matches in UTF-8 ``data``, in order;
        ``None`` last if the rule gave up before reading all of it. ``whole`` False: ``data``
        is the start of a longer text, so no \\b, \\B or $ holds at its end."""
        position, found, rejected = 0, 0, 0
        search = self.compiled.search
        while found < limit and position <= len(data):
            match = search(data, position)
            if match is None:
                return
            start, end = match.span()
            if self.markers and not self._markers_hold(data, match, whole):
                rejected += 1
                if rejected > MAX_REJECTED:
                    yield None
                    return
                position = _next_char(data, start)
                continue
            if end > start:
                found += 1
                yield start, end
            position = end if end > start else _next_char(data, start)

    def _markers_hold(self, data: bytes, match, whole: bool) -> bool:
        for group, marker in enumerate(self.markers, start=1):
            at, _end = match.span(group)
            if at < 0:
                continue
            if at == len(data) and not whole:
                return False
            if marker == "$":
                holds = at == len(data) or (at == len(data) - 1 and data[at] == 0x0A)
            else:
                holds = _is_boundary(data, at) == (marker == "b")
            if not holds:
                return False
        return True


def _next_char(data: bytes, at: int) -> int:
    at += 1
    while at < len(data) and 0x80 <= data[at] < 0xC0:
        at += 1
    return at


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _is_boundary(data: bytes, at: int) -> bool:
    """Whether byte offset ``at`` of UTF-8 ``data`` lies between a word character and another
    character (or an end), as Python's \\b on str judges it."""
    before = after = False
    if at > 0:
        first = at - 1
        while first > 0 and 0x80 <= data[first] < 0xC0:
            first -= 1
        before = _is_word(data[first:at].decode("utf-8", "replace"))
    if at < len(data):
        after = _is_word(data[at : _next_char(data, at)].decode("utf-8", "replace"))
    return before != after


def _char(code: int) -> str:
    char = chr(code)
    return char if char.isascii() and char.isalnum() else f"\\x{{{code:x}}}"


class _Translator:
    """Python's parse of a pattern, written out in RE2's syntax."""

    def __init__(self):
        self.markers: list[str] = []

    def sequence(self, items, *, multiline: bool) -> str:
        return "".join(self.item(op, value, multiline=multiline) for op, value in items)

    def item(self, op, value, *, multiline: bool) -> str:
        c = _constants
        if op is c.LITERAL:
            return _char(value)
        if op is c.NOT_LITERAL:
            return f"[^{_char(value)}]"
        if op is c.ANY:
            return "."
        if op is c.IN:
            return _class(value)
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            low, high, body = value
            if high is c.MAXREPEAT:
                quantifier = {0: "*", 1: "+"}.get(low, f"{{{low},}}")
            elif low == high:
                quantifier = f"{{{low}}}"
            else:
                quantifier = "?" if (low, high) == (0, 1) else f"{{{low},{high}}}"
            lazy = "?" if op is c.MIN_REPEAT else ""
            return f"(?:{self.sequence(body, multiline=multiline)}){quantifier}{lazy}"
        if op is c.SUBPATTERN:
            _group, add, remove, body = value
            if add & _UNSUPPORTED_FLAGS:
                raise Unsupported(_("Flaggorna (?a) och (?L) stöds inte."))
            on = "".join(letter for flag, letter in _FLAGS.items() if add & flag)
            off = "".join(letter for flag, letter in _FLAGS.items() if remove & flag)
            if add & c.SRE_FLAG_MULTILINE:
                multiline = True
            if remove & c.SRE_FLAG_MULTILINE:
                multiline = False
            flags = on + (f"-{off}" if off else "")
            return f"(?{flags}:{self.sequence(body, multiline=multiline)})"
        if op is c.BRANCH:
            _none, branches = value
            alternatives = (self.sequence(b, multiline=multiline) for b in branches)
            return "(?:" + "|".join(alternatives) + ")"
        if op is c.AT:
            return self.at(value, multiline=multiline)
        if op in (c.GROUPREF, c.GROUPREF_EXISTS):
            raise Unsupported(
                _("Bakåtreferenser som \\1 eller (?(1)…) stöds inte. Skriv ut texten i stället.")
            )
        if op in (c.ASSERT, c.ASSERT_NOT):
            raise Unsupported(
                _(
                    "Lookahead och lookbehind, (?=…), (?!…), (?<=…) och (?<!…), stöds inte. "
                    "Skriv regeln utan dem, eller som flera regler."
                )
            )
        if op in (c.ATOMIC_GROUP, c.POSSESSIVE_REPEAT):
            raise Unsupported(
                _("Atomära grupper (?>…) och possessiva upprepningar (a*+) stöds inte.")
            )
        raise Unsupported(_("Uttrycket innehåller något som inte stöds."))

    def at(self, code, *, multiline: bool) -> str:
        c = _constants
        if code is c.AT_BEGINNING:
            return "^"
        if code is c.AT_BEGINNING_STRING:
            return r"\A"
        if code is c.AT_END:
            if multiline:
                return "$"
            # Python's $ also matches before a last line break; RE2's only at the very end.
            self.markers.append("$")
            return "()(?m:$)"
        if code is c.AT_END_STRING:
            return r"\z"
        if code in (c.AT_BOUNDARY, c.AT_NON_BOUNDARY):
            self.markers.append("b" if code is c.AT_BOUNDARY else "B")
            return "()"
        raise Unsupported(_("Uttrycket innehåller något som inte stöds."))


def _class(items) -> str:
    """A character class: ``[...]``, or an alternation when it holds \\W or \\S."""
    c = _constants
    negate = bool(items) and items[0][0] is c.NEGATE
    inside: list[str] = []
    excluded: list[str] = []  # the sets of \W and \S: only their complement fits in brackets
    for op, value in items[1:] if negate else items:
        if op is c.LITERAL:
            inside.append(_char(value))
        elif op is c.RANGE:
            inside.append(f"{_char(value[0])}-{_char(value[1])}")
        elif op is c.CATEGORY and value in _CATEGORIES:
            positive, members = _CATEGORIES[value]
            if positive:
                inside.append(members)
            elif members == _DIGIT:
                inside.append(r"\P{Nd}")
            else:
                excluded.append(members)
        else:
            raise Unsupported(_("Uttrycket innehåller en teckenklass som inte stöds."))
    if not excluded:
        return f"[{'^' if negate else ''}{''.join(inside)}]"
    if negate:
        raise Unsupported(
            _("En negerad teckenklass med \\W eller \\S, som [^\\W\\d], stöds inte. Skriv ut "
              "tecknen, till exempel [a-zåäö].")
        )  # fmt: skip
    alternatives = [f"[^{members}]" for members in excluded]
    if inside:
        alternatives.insert(0, f"[{''.join(inside)}]")
    return "(?:" + "|".join(alternatives) + ")"
