"""The compiled `Matcher`: every rule and built-in detector over one text.

Word rules match whole words of the folded text (see normalise.py): "rå" never matches inside
"fråga", "idiot" matches "Idiot!" but not "idioten". A ``*`` at the end makes a prefix rule
("idiot*" matches idioten, idioterna), at the start a suffix rule ("*idiot" matches
pundidiot), at both ends an infix rule. A phrase is words separated by spaces; any spacing or
punctuation between its words in the text matches. All word rules share one Aho-Corasick
automaton, so thousands of rules cost one pass over the folded text; the same pass finds a
literal each regular expression cannot match without, so only those expressions run, and
notes what needs a second look (a stretched letter, three one-letter words in a row).
Regular expressions run on RE2 (engine.py), case-insensitively (Unicode), on the first
``regex_text_limit`` characters of the original text: time linear in what they read. One that
could not read all of a text, and matched nothing in what it read, flags the item for a person
("regex_unchecked"). Each rule and each built-in detector gives at most
`MAX_MATCHES_PER_RULE` matches per text: one is enough to classify the item, the rest only
marks more of the text.
"""

from bisect import bisect_left
from dataclasses import dataclass, replace

import ahocorasick
from django.utils.translation import gettext as _

from . import detectors
from .categories import Action, Category, Kind
from .engine import RegexRule
from .normalise import ONE_CHARACTER_WORDS, Folded, fold, fold_plain
from .rules import RuleSpec, compile_regex, domain_of, required_literal, validate_rule, word_key

MAX_MATCHES_PER_RULE = 20
REGEX_TEXT_LIMIT = 20_000
_STRETCHED = -1
_REGEX = -2
_ONE_LETTER = -3
_LETTERS = "abcdefghijklmnopqrstuvwxyzåäö"


@dataclass(frozen=True, slots=True)
class Match:
    """One hit: which rule, what it means, and where in the ORIGINAL text (for highlighting).

    ``source`` says what matched: word, regex, domain, personnummer, samordningsnummer,
    phone, email, link or blocked_link; regex_unchecked is a regular expression that could not
    read the whole text (it flags, whatever the rule's action); ``detail`` the rule's word or
    pattern, the host or the e-mail domain.
    """

    rule_id: int | str
    rule_name: str
    category: Category
    action: Action
    test_mode: bool
    start: int
    end: int
    source: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Explanation:
    """What `Matcher.try_text` shows for one match: the excerpt and why, in Swedish."""

    match: Match
    excerpt: str
    reason: str


class Matcher:
    """Rules compiled once; ``match(text)`` returns every hit, test-mode rules included."""

    def __init__(
        self,
        rules,
        *,
        allowed_domains=(),
        blocked_domains=(),
        municipal_domains=(),
        regex_text_limit=REGEX_TEXT_LIMIT,
    ):
        self.rules: list[RuleSpec] = []
        self.regex_text_limit = regex_text_limit
        self._words = ahocorasick.Automaton()
        self._stretched = ahocorasick.Automaton()
        self._regexes: list[tuple[int, RegexRule]] = []
        self._unfiltered: list[int] = []
        self._domain_rules: dict[str, list[int]] = {}
        self._fast = True  # the plain-text path; the tests turn it off to compare the two
        self._heads: list[tuple] = []  # each rule's first five fields of a Match
        self._words_of: list[str] = []  # each rule's word, the detail of a word match
        stretchable: set[str] = set()  # the letters of the word rules
        for index, rule in enumerate(rules):
            validate_rule(rule)
            # Enum members once here rather than on every hit.
            rule = replace(rule, kind=Kind(rule.kind), category=Category(rule.category),
                           action=Action(rule.action))  # fmt: skip
            self.rules.append(rule)
            self._heads.append((rule.id, rule.name, rule.category, rule.action, rule.test_mode))
            self._words_of.append(rule.pattern.strip("* "))
            pattern = rule.pattern.strip()
            if rule.kind == Kind.WORD:
                key, collapsed, runs = word_key(pattern)
                self._add_key(key, (index, len(key)))
                stretchable.update(collapsed)
                entries = [*self._stretched.get(collapsed, []), (index, runs)]
                self._stretched.add_word(collapsed, entries)
            elif rule.kind == Kind.REGEX:
                position = len(self._regexes)
                self._regexes.append((index, compile_regex(pattern)))
                literal = required_literal(pattern)
                if literal is None:
                    self._unfiltered.append(position)
                else:
                    self._add_key(literal, (_REGEX, position))
            else:
                self._domain_rules.setdefault(domain_of(pattern), []).append(index)
        self._scans = len(self._words) > 0
        if self._scans:
            # A letter three times in a row sends the text through the stretched pass too,
            # if a rule has that letter (no rule has w, say: then www. is just a link).
            for letter in stretchable.intersection(_LETTERS):
                self._add_key(letter * 3, (_STRETCHED, 3))
            # `fold_plain` leaves a run of one-letter words ("i d i o t") unjoined: the pass
            # notes each one-letter word, so it tells whether there is one.
            for char in ONE_CHARACTER_WORDS:
                self._add_key(f" {char} ", (_ONE_LETTER, 0))
            self._words.make_automaton()
            self._stretched.make_automaton()
        self.allowed = frozenset(
            detectors.normalise_domain(d) for d in (*allowed_domains, *municipal_domains) if d
        )
        self.blocked = frozenset(detectors.normalise_domain(d) for d in blocked_domains if d)

    def _add_key(self, key: str, entry: tuple[int, int]) -> None:
        self._words.add_word(key, [*self._words.get(key, []), entry])

    def match(self, text: str) -> list[Match]:
        """Every match in ``text``, ordered by position."""
        if not text:
            return []
        found: list[Match] = []
        regexes = set(self._unfiltered)
        if self._scans:
            digits = self._match_words(text, regexes, found)
        else:
            digits = detectors.count_digits(text)
        if regexes:
            self._match_regexes(text, regexes, found)
        # The built-in detectors: a cheap test each, the search only when it passes.
        taken: list[tuple[int, int]] = []  # personnummer and e-mail addresses are no links
        if digits >= detectors.MIN_NUMBER_DIGITS:
            self._match_numbers(text, taken, found)
        if "@" in text:
            self._match_emails(text, taken, found)
        if detectors.might_link(text):
            self._match_links(text, taken, found)
        if len(found) > 1:
            found.sort(key=_position)
        if len(found) > MAX_MATCHES_PER_RULE:
            found = _capped(found)
        return found

    def try_text(self, text: str) -> list[Explanation]:
        """What would match in ``text`` and why, for the rules page's "try a text" box."""
        return [Explanation(m, text[m.start : m.end], _reason(self, m)) for m in self.match(text)]

    def _match_words(self, text: str, regexes: set, found: list[Match], *, plain=True) -> int:
        """One pass over the folded text: add the word rules' matches, note the regexes whose
        literal occurs, and return how many digits the text has. ``plain=False``: by `fold`.

        The loop over the automaton's hits is written out here, not in a helper: it runs for
        every text, and a call per text cost a tenth of a plain text's time."""
        # Most texts fold by `fold_plain`: no Folded unless there are hits to place.
        folded = None
        fast = fold_plain(text) if plain and self._fast else None
        if fast is None:
            folded = fold(text)
        variants, shape = fast or (folded.variants, None)
        hits: list[tuple[int, str, int, int]] = []  # rule index, scanned string, first, last
        stretched = letter_run = False
        for scanned in variants:
            one_letter, in_row = -9, 0  # where the last one-letter word ended; how many in a row
            for last, entries in self._words.iter(scanned):
                for index, value in entries:
                    if index >= 0:
                        hits.append((index, scanned, last - value + 1, last))
                    elif index == _REGEX:
                        regexes.add(value)
                    elif index == _STRETCHED:
                        stretched = True
                    else:
                        in_row = in_row + 1 if last == one_letter + 2 else 1  # " a b ": 2 apart
                        letter_run = letter_run or in_row >= 3
                        one_letter = last
        if folded is None:
            if letter_run:  # left unjoined by fold_plain ("i d i o t"): fold fully, again
                return self._match_words(text, regexes, found, plain=False)
            if not (hits or stretched):
                return shape.count(b"0")
            folded = Folded(text, variants, None, shape.count(b"0"), shape)
        if stretched:
            self._scan_stretched(folded, hits)
        if hits:
            # The same rule on the same words may come from several variants or passes: once.
            ranges = _word_ranges(hits)
            if len(ranges) <= 4:
                spans = [folded.span(first, last) for _, first, last in ranges]
            else:
                words = folded.word_spans(upto=max(last for _, _, last in ranges))
                spans = [(words[first - 1][0], words[last - 1][1]) for _, first, last in ranges]
            for (index, _, _), (start, end) in zip(ranges, spans, strict=True):
                found.append(Match(*self._heads[index], start, end, "word", self._words_of[index]))
        return folded.digits

    def _scan_stretched(self, folded: Folded, hits: list) -> None:
        """The stretched pass: rules against the text with repeated letters folded to one."""
        for variant in range(len(folded.variants)):
            scanned = folded.collapsed(variant)
            for last, entries in self._stretched.iter(scanned):
                for index, key_runs in entries:
                    first = last - len(key_runs) + 1
                    runs = folded.runs(variant, first, last)
                    if _runs_fit(scanned[first : last + 1], runs, key_runs):
                        hits.append((index, scanned, first, last))

    def _match_regexes(self, text: str, positions: set, found: list[Match]) -> None:
        """Run the expressions whose literal the folded pass found (and those without one) on
        the text's first `regex_text_limit` characters."""
        read = text[: self.regex_text_limit]
        data = read.encode("utf-8", "replace")  # a lone surrogate is one "?", one character
        chars = _CharOffsets(data, ascii=len(data) == len(read))
        for position in sorted(positions):
            index, compiled = self._regexes[position]
            rule = self.rules[index]
            unread = len(read) if len(read) < len(text) else None
            spans = compiled.spans(data, limit=MAX_MATCHES_PER_RULE, whole=unread is None)
            for span in spans:
                if span is None:  # gave up (engine.py): a person reads it
                    unread = 0 if unread is None else unread
                    break
                found.append(
                    _hit(rule, chars.at(span[0]), chars.at(span[1]), "regex", rule.pattern)
                )
                unread = None
            if unread is not None:
                found.append(
                    Match(rule.id, f"{rule.name} ({_UNCHECKED})", rule.category, Action.FLAG,
                          rule.test_mode, unread, len(text), "regex_unchecked", rule.pattern)
                )  # fmt: skip

    def _match_numbers(self, text: str, taken: list, found: list[Match]) -> None:
        for start, end, coordination in detectors.personnummer_spans(text):
            taken.append((start, end))
            source = "samordningsnummer" if coordination else "personnummer"
            found.append(_builtin(source, start, end))
        for start, end in detectors.phone_spans(text, taken):
            found.append(_builtin("phone", start, end))

    def _match_emails(self, text: str, taken: list, found: list[Match]) -> None:
        for start, end, domain in detectors.email_spans(text):
            taken.append((start, end))
            if detectors.domain_in(domain, self.allowed) is None:
                found.append(_builtin("email", start, end, domain))

    def _match_links(self, text: str, taken: list, found: list[Match]) -> None:
        for start, end, host in detectors.link_spans(text):
            if not any(s <= start < e for s, e in taken):
                self._match_link(host, start, end, found)

    def _match_link(self, host: str, start: int, end: int, found: list[Match]) -> None:
        probe = host
        while probe:
            for index in self._domain_rules.get(probe, ()):
                found.append(_hit(self.rules[index], start, end, "domain", host))
            _, _, probe = probe.partition(".")
        # A block wins over an allow entry: the block list is the more deliberate choice.
        if detectors.domain_in(host, self.blocked) is not None:
            found.append(_builtin("blocked_link", start, end, host))
        elif detectors.domain_in(host, self.allowed) is None:
            found.append(_builtin("link", start, end, host))


def _position(match: Match) -> tuple[int, int, str]:
    return match.start, match.end, str(match.rule_id)


def _capped(found: list[Match]) -> list[Match]:
    """The first `MAX_MATCHES_PER_RULE` matches of each rule and each built-in detector."""
    counts: dict[tuple, int] = {}
    kept = []
    for match in found:
        key = (match.rule_id, match.source)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= MAX_MATCHES_PER_RULE:
            kept.append(match)
    return kept


class _CharOffsets:
    """Character offsets of byte offsets in UTF-8 ``data``, asked mostly in increasing order."""

    def __init__(self, data: bytes, *, ascii: bool):
        self.data, self.ascii = data, ascii
        self.byte = self.char = 0

    def at(self, byte: int) -> int:
        if self.ascii:
            return byte
        if byte < self.byte:
            self.byte = self.char = 0
        self.char += len(self.data[self.byte : byte].decode("utf-8", "replace"))
        self.byte = byte
        return self.char


def _word_ranges(hits) -> dict[tuple[int, int, int], None]:
    """(rule index, first word, last word) of each hit, words numbered from 1, each once.

    Spaces before a position count the words up to it (the scanned string opens with one);
    with many hits, bisecting the space positions keeps a long text linear.
    """
    ranges: dict[tuple[int, int, int], None] = {}
    if len(hits) <= 16:
        for index, scanned, first, last in hits:
            first_word = scanned.count(" ", 0, first + (scanned[first] == " "))
            ranges[index, first_word, scanned.count(" ", 0, last + (scanned[last] != " "))] = None
        return ranges
    spaces: dict[str, list[int]] = {}
    for index, scanned, first, last in hits:
        if scanned not in spaces:
            spaces[scanned] = [i for i, char in enumerate(scanned) if char == " "]
        at = spaces[scanned]
        first_word = bisect_left(at, first + (scanned[first] == " "))
        ranges[index, first_word, bisect_left(at, last + (scanned[last] != " "))] = None
    return ranges


def _runs_fit(window: str, runs: list[int], key_runs: list[int]) -> bool:
    """Repeats must be as in the rule, or stretched to three or more letters ("idiiiot").

    So "hatt" is not the rule "hat" and "fita" not the rule "fitta", yet "fittttta" is.
    """
    for char, got, wanted in zip(window, runs, key_runs, strict=True):
        if got != wanted and not (got >= 3 and got > wanted and char.isalpha()):
            return False
    return True


def _hit(rule: RuleSpec, start: int, end: int, source: str, detail: str) -> Match:
    return Match(
        rule_id=rule.id,
        rule_name=rule.name,
        category=rule.category,
        action=rule.action,
        test_mode=rule.test_mode,
        start=start,
        end=end,
        source=source,
        detail=detail,
    )


# Built-in detectors: id, category and action (DOMAIN.md §4; personnummer are hidden at once).
BUILTINS = {
    "personnummer": ("builtin:personnummer", Category.PERSONUPPGIFTER, Action.HIDE),
    "samordningsnummer": ("builtin:samordningsnummer", Category.PERSONUPPGIFTER, Action.HIDE),
    "phone": ("builtin:telefonnummer", Category.PERSONUPPGIFTER, Action.FLAG),
    "email": ("builtin:e-post", Category.PERSONUPPGIFTER, Action.FLAG),
    "link": ("builtin:lank", Category.LANKAR, Action.FLAG),
    "blocked_link": ("builtin:blockerad-lank", Category.LANKAR, Action.HIDE),
}


def _builtin(source: str, start: int, end: int, detail: str = "") -> Match:
    rule_id, category, action = BUILTINS[source]
    return Match(
        rule_id, _BUILTIN_NAMES[source], category, action, False, start, end, source, detail
    )


def gettext_noop(message: str) -> str:
    """Mark a string for makemessages without touching settings at import (Django's does)."""
    return message


# What a person reads beside the rule's name where a rule could not read a whole text: the
# match rows, the item's page and the API's flags carry it.
_UNCHECKED = gettext_noop("läste inte hela texten, granska själv")

# Plain strings in the hot path; marked for translation where they are shown.
_BUILTIN_NAMES = {
    "personnummer": gettext_noop("Personnummer"),
    "samordningsnummer": gettext_noop("Samordningsnummer"),
    "phone": gettext_noop("Telefonnummer"),
    "email": gettext_noop("E-postadress till privatperson"),
    "link": gettext_noop("Länk"),
    "blocked_link": gettext_noop("Länk till blockerad domän"),
}


def _reason(matcher: Matcher, match: Match) -> str:
    if match.source == "word":
        rule = next(r for r in matcher.rules if r.id == match.rule_id)
        pattern = rule.pattern.strip()
        if pattern.startswith("*") and pattern.endswith("*"):
            text = _("Ett ord innehåller «%(word)s» (regeln «%(rule)s»).")
        elif pattern.endswith("*"):
            text = _("Ett ord börjar med «%(word)s» (regeln «%(rule)s»).")
        elif pattern.startswith("*"):
            text = _("Ett ord slutar med «%(word)s» (regeln «%(rule)s»).")
        else:
            text = _("Ordet eller frasen «%(word)s» står i texten (regeln «%(rule)s»).")
        text %= {"word": match.detail, "rule": match.rule_name}
    elif match.source == "regex":
        text = _("Det reguljära uttrycket «%(pattern)s» matchar (regeln «%(rule)s»).") % {
            "pattern": match.detail,
            "rule": match.rule_name,
        }
    elif match.source == "regex_unchecked" and match.start:
        text = _(
            "Det reguljära uttrycket «%(pattern)s» (regeln «%(rule)s») läser bara de första "
            "%(n)d tecknen av en text, och texten är längre. En person behöver läsa resten."
        ) % {"pattern": match.detail, "rule": _rule_name(matcher, match), "n": match.start}
    elif match.source == "regex_unchecked":
        text = _(
            "Det reguljära uttrycket «%(pattern)s» (regeln «%(rule)s») kunde inte avgöra "
            "om texten träffas. En person behöver läsa den."
        ) % {"pattern": match.detail, "rule": _rule_name(matcher, match)}
    elif match.source == "domain":
        text = _("Länken går till %(host)s, som regeln «%(rule)s» gäller.") % {
            "host": match.detail,
            "rule": match.rule_name,
        }
    else:
        text = {
            "personnummer": _("Ett giltigt personnummer: datum och kontrollsiffra stämmer."),
            "samordningsnummer": _(
                "Ett giltigt samordningsnummer: födelsedag plus 60, kontrollsiffran stämmer."
            ),
            "phone": _("Ett svenskt telefonnummer."),
            "email": _(
                "En e-postadress på %(host)s, som inte är kommunens eller en tillåten domän."
            ),
            "link": _("En länk till %(host)s, som inte finns bland de tillåtna domänerna."),
            "blocked_link": _("En länk till %(host)s, som står på listan över blockerade domäner."),
        }[match.source]
        if "%(host)s" in text:
            text %= {"host": match.detail}
    text = f"{text} {Category(match.category).label}: "
    text += _("döljs direkt.") if match.action == Action.HIDE else _("flaggas för granskning.")
    if match.test_mode:
        text += " " + _("Regeln är i testläge: träffen registreras men inget görs.")
    return text


def _rule_name(matcher: Matcher, match: Match) -> str:
    return next(r.name for r in matcher.rules if r.id == match.rule_id)


def strongest_action(matches) -> Action | None:
    """The action an item gets from its matches: hide beats flag; test-mode rules never act."""
    acting = {m.action for m in matches if not m.test_mode}
    if Action.HIDE in acting:
        return Action.HIDE
    return Action.FLAG if acting else None
