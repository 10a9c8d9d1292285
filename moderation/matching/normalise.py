"""Fold a text into a canonical string of words that sees through simple disguises.

The folded string is `` word word word `` — lower case, one space between words and one at
each end — so a whole-word rule is simply the key `` idiot `` and boundaries are exact for
å, ä and ö (a regular expression's ``\\b`` is not needed at all). On the way:

- accents other than å, ä and ö are dropped (é → e), ø → ö, æ → ä, fullwidth and other
  compatibility forms are folded, zero-width characters and soft hyphens vanish;
- three or more one-letter words in a row are joined ("i d i o t", "i.d.i.o.t" → idiot);
- in a word that mixes letters with digits or @/$, the usual swaps are undone
  (0→o, 1→i, 3→e, 4→a, 5→s, 7→t, @→a, $→s); a second folding reads 1 as l;
- repeated letters: the scanned strings keep them, so a rule matches exactly as written;
  `collapsed()` folds each run to one letter and `runs()` keeps the run lengths, for a
  second pass when a letter is stretched to three or more ("idiiiot"; see matcher._runs_fit).

Every step keeps words whole, so a match maps back to the original text word by word:
`word_spans()` gives each folded word's (start, end) in the original text.
"""

import re
import unicodedata
from functools import cache
from itertools import islice

# Characters inside a word that carry no letter: combining marks, zero-width characters.
_INVISIBLE = "\u0300-\u036f\u00ad\u200b-\u200d\u2060\ufeff"
WORD_RE = re.compile(rf"[^\W_](?:[^\W_{_INVISIBLE}]|[{_INVISIBLE}]|[@$](?=[^\W_]))*")
_SINGLE_RUN = re.compile(r" \S \S \S ")
_SEPARATORS = bytes(b if b >= 0x80 or chr(b).isalnum() else 0x20 for b in range(256))
# Deleting these bytes leaves nothing exactly when a lower-cased text is ASCII, å, ä and ö
# (UTF-8 c3 a5, c3 a4, c3 b6) without @ or $; any other character leaves a byte behind.
_PLAIN_BYTES = bytes(b for b in range(0x80) if b not in b"@$") + b"\xc3\xa4\xa5\xb6"
_NOT_DIGITS = bytes(b for b in range(256) if not 0x30 <= b <= 0x39)
_LEET_HINT = re.compile(r"[0-9@$]")
_DIGIT = re.compile(r"\d")
# In plain text a word mixes letters and digits exactly when a letter touches a digit: the
# text's shape (letters as a, digits as 0, the bytes of å, ä and ö as a) shows a0 or 0a.
_SHAPE = bytes(
    0x30 if 0x30 <= b <= 0x39 else 0x61 if b >= 0x80 or chr(b).isalpha() else 0x20
    for b in range(256)
)
_REPEAT = re.compile(r"(.)\1+")
_RUN = re.compile(r"(.)\1*")

_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
_LEET_L = str.maketrans({"1": "l"})

# Latin look-alikes from Cyrillic and Greek that are typed to slip past filters.
_HOMOGLYPHS = {
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
    "к": "k", "м": "m", "т": "t", "ν": "v", "ο": "o", "α": "a", "ι": "i",
}  # fmt: skip
_KEEP = frozenset("åäö")


@cache
def _fold_table() -> dict[int, str | None]:
    """Per-character folding for everything beyond ASCII, built once (about 20 ms)."""
    table: dict[int, str | None] = {}
    for code in range(0x80, 0x10000):
        char = chr(code)
        if char in _KEEP:
            continue
        if unicodedata.combining(char) or unicodedata.category(char) == "Cf":
            table[code] = None
            continue
        decomposed = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
        if base != char and base and base.isalnum():
            table[code] = base
    table.update({ord(k): v for k, v in _HOMOGLYPHS.items()})
    table.update({ord("ø"): "ö", ord("æ"): "ä", ord("ß"): "ss", ord("ı"): "i"})
    # Swedish letters written as a base letter plus a combining mark are composed first (NFC).
    for char in "åäöÅÄÖ":
        table.pop(ord(char), None)
    return table


class Folded:
    """One text folded for matching. ``variants`` are the strings to scan (1→i, and 1→l)."""

    __slots__ = ("_collapsed", "_groups", "digits", "text", "variants")

    def __init__(self, text: str, variants: list[str], groups, digits: int):
        self.text = text
        self.digits = digits  # how many digits the text has (at least; folding may add ²→2)
        self.variants = variants
        self._groups = groups
        self._collapsed: dict[int, str] = {}

    def collapsed(self, variant: int) -> str:
        """``variants[variant]`` with each run of a repeated character folded to one."""
        if variant not in self._collapsed:
            self._collapsed[variant] = _REPEAT.sub(r"\1", self.variants[variant])
        return self._collapsed[variant]

    def runs(self, variant: int, first: int, last: int) -> list[int]:
        """How many times each character of ``collapsed(variant)[first:last + 1]`` was repeated.

        Only the words around the window are measured: the same words, split at the same
        spaces, stand in the collapsed and the scanned string.
        """
        collapsed, scanned = self.collapsed(variant), self.variants[variant]
        before = collapsed.rfind(" ", 0, first + 1)  # the space opening the first word
        after = collapsed.find(" ", last)  # the space closing the last word
        words_before = collapsed.count(" ", 0, before)
        words = collapsed.count(" ", before + 1, after) + 1
        segment = " ".join(scanned.split(" ")[words_before + 1 : words_before + 1 + words])
        runs = [1, *(len(m.group()) for m in _RUN.finditer(segment)), 1]
        return runs[first - before : last - before + 1]

    def word_spans(self, upto: int | None = None) -> list[tuple[int, int]]:
        """(start, end) in the original text of each folded word (of the first ``upto``)."""
        groups = self._groups
        if upto is not None:
            groups = groups[:upto] if groups is not None else None
            upto = groups[-1][1] + 1 if groups else upto
        spans = [m.span() for m in islice(WORD_RE.finditer(self.text), upto)]
        if groups is None:
            return spans
        return [(spans[first][0], spans[last][1]) for first, last in groups]


def fold(text: str, lowered: str | None = None) -> Folded:
    """Fold ``text``; cheap for plain text (a few C-level passes), slower only when disguised.

    ``variants`` hold the text with digits read as letters (1 as i, and 1 as l if any) and,
    when that changed anything, the text as written last (regex literals are looked up there).
    """
    lowered = text.lower() if lowered is None else lowered
    encoded = lowered.encode()
    if len(lowered) == len(text) and not encoded.translate(None, _PLAIN_BYTES):
        # Only ASCII and å, ä, ö (no @ or $): the same words as WORD_RE finds, at C speed.
        joined = b" ".join(encoded.translate(_SEPARATORS).split()).decode()
        digits = len(encoded.translate(None, _NOT_DIGITS))
        leet_hint = False
        if digits:
            shape = encoded.translate(_SHAPE)
            leet_hint = b"a0" in shape or b"0a" in shape
    else:
        joined = " ".join(WORD_RE.findall(text)).lower()
        if not joined.isascii():
            joined = unicodedata.normalize("NFC", joined).translate(_fold_table())
        digits = len(_DIGIT.findall(joined))
        leet_hint = _LEET_HINT.search(joined) is not None
    groups = None
    padded = f" {joined} "
    if _SINGLE_RUN.search(padded):
        words, groups = _join_single_letters(joined.split(" "))
        joined = " ".join(words)
        padded = f" {joined} "
    variants = [padded]
    if leet_hint:
        words = joined.split(" ")
        mixed = [word if _is_mixed(word) else None for word in words]
        if any(mixed):
            as_i = (m.translate(_LEET) if m else w for w, m in zip(words, mixed, strict=True))
            variants = [f" {' '.join(as_i)} "]
            if any(m and "1" in m for m in mixed):
                as_l = (m.translate(_LEET_L) if m else w for w, m in zip(words, mixed, strict=True))
                variants.append(f" {' '.join(as_l).translate(_LEET)} ")
            variants.append(padded)
    return Folded(text, variants, groups, digits)


def fold_rule_words(pattern: str) -> list[str]:
    """The folded words of a rule's word or phrase, read the way `fold` reads text."""
    words = " ".join(WORD_RE.findall(pattern)).lower()
    if not words.isascii():
        words = unicodedata.normalize("NFC", words).translate(_fold_table())
    return [word.translate(_LEET) if _is_mixed(word) else word for word in words.split(" ") if word]


def collapse_with_runs(value: str) -> tuple[str, list[int]]:
    """``value`` with runs of a repeated character folded to one, and the run lengths."""
    pieces = [m.group() for m in _RUN.finditer(value)]
    return "".join(p[0] for p in pieces), [len(p) for p in pieces]


def _is_mixed(word: str) -> bool:
    return not word.isalpha() and not word.isdigit() and any(c.isalpha() for c in word)


def _join_single_letters(words: list[str]):
    """Join runs of three or more one-character words; return the words and index groups."""
    out, groups, i = [], [], 0
    while i < len(words):
        j = i
        while j < len(words) and len(words[j]) == 1:
            j += 1
        if j - i >= 3:
            out.append("".join(words[i:j]))
            groups.append((i, j - 1))
            i = j
        else:
            out.append(words[i])
            groups.append((i, i))
            i += 1
    return out, groups
