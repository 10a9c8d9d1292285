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

Most texts are Latin-1 (Swedish, é and ü included): `fold_plain` folds them with two byte
tables at C speed and keeps the text's shape, one byte per character, to place the words.
Anything else takes the general way, a pattern for the words and a table per character;
tests/moderation/test_matching_fast_path.py holds the two ways to the same result.
"""

import re
import unicodedata
from functools import cache
from itertools import islice

# Characters inside a word that carry no letter: combining marks, zero-width characters.
_INVISIBLE = "\u0300-\u036f\u00ad\u200b-\u200d\u2060\ufeff"
WORD_RE = re.compile(rf"[^\W_](?:[^\W_{_INVISIBLE}]|[{_INVISIBLE}]|[@$](?=[^\W_]))*")
_SINGLE_RUN = re.compile(r" \S \S \S ")
_LEET_HINT = re.compile(r"[0-9@$]")
_DIGIT = re.compile(r"\d")
# A character the same as the next one: deleting these folds each run to one character
# (an empty replacement runs in C; a group reference such as \1 calls Python per match).
_REPEAT = re.compile(r"(.)(?=\1)")
_RUN = re.compile(r"((.)\2*)")  # a run of one character: the run, the character

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


def _fold_char(char: str) -> str | None:
    """What a lower-case character beyond ASCII folds to: None to drop it, itself if kept."""
    if char in _KEEP:
        return char
    if unicodedata.combining(char) or unicodedata.category(char) == "Cf":
        return None
    if char in _SPECIAL:
        return _SPECIAL[char]
    decomposed = unicodedata.normalize("NFKD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return base if base != char and base and base.isalnum() else char


_SPECIAL = {**_HOMOGLYPHS, "ø": "ö", "æ": "ä", "ß": "ss", "ı": "i"}


@cache
def _fold_table() -> dict[int, str | None]:
    """Per-character folding for everything beyond ASCII, built once (about 20 ms)."""
    table: dict[int, str | None] = {}
    for code in range(0x80, 0x10000):
        folded = _fold_char(chr(code))
        if folded != chr(code):
            table[code] = folded
    # Swedish letters written as a base letter plus a combining mark are composed first (NFC).
    for char in "åäöÅÄÖ":
        table.pop(ord(char), None)
    return table


def _latin1_tables() -> tuple[bytes, bytes]:
    """Two byte tables for a text encoded as Latin-1, one byte per character.

    The first lower-cases and folds each byte as `fold` does the character (É → e; anything
    that is not part of a word → space; @ and $ kept for now). The second gives the text's
    shape: ``a`` a letter, ``0`` a digit, a space between words, ``@`` for @ or $, and ``!``
    a character that only the general folding handles (ß becomes two letters, µ a Greek one,
    a soft hyphen vanishes, ½ is neither letter nor digit). Every Latin-1 character lower-cases
    to one Latin-1 character, so the tables can do that too.
    """
    fold, shape = bytearray(256), bytearray(256)
    for code in range(256):
        char = chr(code).lower()
        folded = char if char.isascii() else _fold_char(char)
        if char in "@$":
            fold[code], shape[code] = code, ord("@")
        elif not char.isalnum() and folded is not None:
            fold[code], shape[code] = 0x20, 0x20
        elif folded and len(folded) == 1 and ord(folded) < 0x100 and folded.isalpha():
            fold[code], shape[code] = ord(folded), ord("a")
        elif folded and folded in "0123456789":
            fold[code], shape[code] = ord(folded), ord("0")
        else:
            fold[code], shape[code] = code, ord("!")
    return bytes(fold), bytes(shape)


_LATIN1_FOLD, _LATIN1_SHAPE = _latin1_tables()
# An @ or $ with no letter or digit on one side is no part of a word (as in WORD_RE).
_STRAY_SIGN = re.compile(rb"[@$](?:(?<![^ @$].)|(?![^ @$]))")
_SPACES = re.compile(rb"  +")
# A digit next to a letter; starting at the digit, the search skips ahead to the few digits.
_LETTER_DIGIT = re.compile(rb"0(?:(?<=a0)|(?=a))")
# WORD_RE read on the shape: the same words, found at C speed in bytes.
_SHAPE_WORD = re.compile(rb"[a0](?:[a0]|@(?=[a0]))*")


class Folded:
    """One text folded for matching. ``variants`` are the strings to scan (1→i, and 1→l)."""

    __slots__ = ("_collapsed", "_groups", "_runs", "_shape", "digits", "text", "variants")

    def __init__(self, text: str, variants: list[str], groups, digits: int, shape=None):
        self.text = text
        self._shape = shape  # one byte per character of text, when the fast folding read it
        self.digits = digits  # how many digits the text has (at least; folding may add ²→2)
        self.variants = variants
        self._groups = groups
        self._collapsed: dict[int, str] = {}
        self._runs: dict[tuple[int, int, int], list[int]] = {}

    def collapsed(self, variant: int) -> str:
        """``variants[variant]`` with each run of a repeated character folded to one."""
        if variant not in self._collapsed:
            self._collapsed[variant] = _REPEAT.sub("", self.variants[variant])
        return self._collapsed[variant]

    def runs(self, variant: int, first: int, last: int) -> list[int]:
        """How many times each character of ``collapsed(variant)[first:last + 1]`` was repeated.

        Only the words around the window are measured: the same words, split at the same
        spaces, stand in the collapsed and the scanned string.
        """
        collapsed, scanned = self.collapsed(variant), self.variants[variant]
        before = collapsed.rfind(" ", 0, first + 1)  # the space opening the first word
        after = collapsed.find(" ", last)  # the space closing the last word
        runs = self._runs.get((variant, before, after))  # "idiot" and "idiot*" share words
        if runs is None:
            words_before = collapsed.count(" ", 0, before)
            words = collapsed.count(" ", before + 1, after) + 1
            segment = " ".join(scanned.split(" ")[words_before + 1 : words_before + 1 + words])
            runs = [1, *[len(run) for run, _ in _RUN.findall(segment)], 1]
            self._runs[variant, before, after] = runs
        return runs[first - before : last - before + 1]

    def word_spans(self, upto: int | None = None) -> list[tuple[int, int]]:
        """(start, end) in the original text of each folded word (of the first ``upto``)."""
        groups = self._groups
        if upto is not None:
            groups = groups[:upto] if groups is not None else None
            upto = groups[-1][1] + 1 if groups else upto
        if self._shape is not None:
            found = _SHAPE_WORD.finditer(self._shape)
        else:
            found = WORD_RE.finditer(self.text)
        spans = [m.span() for m in islice(found, upto)]
        if groups is None:
            return spans
        return [(spans[first][0], spans[last][1]) for first, last in groups]

    def span(self, first: int, last: int) -> tuple[int, int]:
        """(start, end) in the original text of folded words ``first`` to ``last`` (from 1).

        With the shape, a split that stops after the words before finds each end at C speed
        (cheaper than `word_spans` for a hit or two, dearer for many: it starts over each time).
        """
        first, last = first - 1, last - 1
        if self._groups is not None:
            first, last = self._groups[first][0], self._groups[last][1]
        shape = self._shape
        if shape is None:
            spans = [m.span() for m in islice(WORD_RE.finditer(self.text), last + 1)]
            return spans[first][0], spans[last][1]
        rest = shape.split(None, first)[-1]  # the shape from word ``first`` on
        start = len(shape) - len(rest)
        if last != first:
            rest = shape.split(None, last)[-1]
        word_end = rest.find(b" ")
        return start, len(shape) - len(rest) + (len(rest) if word_end < 0 else word_end)


def fold(text: str) -> Folded:
    """Fold ``text``; cheap for plain text (a few C-level passes), slower only when disguised.

    ``variants`` hold the text with digits read as letters (1 as i, and 1 as l if any) and,
    when that changed anything, the text as written last (regex literals are looked up there).
    """
    return _fold(text)


def _fold(text: str, *, fast: bool = True) -> Folded:
    """`fold`; ``fast=False`` takes the general way even for Latin-1 text (for the tests)."""
    plain = fold_plain(text) if fast else None
    if plain is not None:
        variants, shape = plain
        digits = shape.count(b"0")
        if not has_letter_run(variants[-1]):
            return Folded(text, variants, None, digits, shape)
        joined = variants[-1][1:-1]
    else:
        shape = None
        joined = " ".join(WORD_RE.findall(text)).lower()
        if not joined.isascii():
            joined = unicodedata.normalize("NFC", joined).translate(_fold_table())
        digits = len(_DIGIT.findall(joined))
    groups = None
    padded = f" {joined} "
    if has_letter_run(padded):
        words, groups = _join_single_letters(joined.split(" "))
        padded = f" {' '.join(words)} "
    variants = _leet_variants(padded) if _LEET_HINT.search(padded) else [padded]
    return Folded(text, variants, groups, digits, shape)


def fold_plain(text: str) -> tuple[list[str], bytes] | None:
    """`fold`'s variants and the text's shape for most texts, without a `Folded`; or None.

    For Latin-1 text: byte tables lower-case and fold it at C speed, one byte per character,
    so the shape's positions are the text's (see `_latin1_tables`). The result is what `fold`
    gives unless three or more one-letter words stand in a row: joining them is left to the
    caller, who may know better than `has_letter_run` whether there are any.
    """
    try:
        encoded = text.encode("latin-1")
    except UnicodeEncodeError:
        return None
    shape = encoded.translate(_LATIN1_SHAPE)
    if 0x21 in shape:  # "!" (an int is found with memchr, a bytes needle more slowly)
        return None
    spaced = encoded.translate(_LATIN1_FOLD)
    has_sign = 0x40 in shape  # "@"
    if has_sign and _STRAY_SIGN.search(shape):  # not the @ of an e-mail address
        spaced = _STRAY_SIGN.sub(b" ", spaced)
        shape = _STRAY_SIGN.sub(b" ", shape)
    padded = f" {_SPACES.sub(b' ', spaced).strip(b' ').decode('latin-1')} "
    # A word mixes letters with digits or @ exactly when a letter touches one in the shape.
    if has_sign or (0x30 in shape and _LETTER_DIGIT.search(shape)):
        return _leet_variants(padded), shape
    return [padded], shape


def has_letter_run(padded: str) -> bool:
    """Whether three or more one-letter words stand in a row ("i d i o t")."""
    return _SINGLE_RUN.search(padded) is not None


# What a one-letter (or one-digit) word of a Latin-1 text can fold to.
ONE_CHARACTER_WORDS = "".join(
    sorted({chr(f) for f, kind in zip(_LATIN1_FOLD, _LATIN1_SHAPE, strict=True) if kind in b"a0"})
)


def _leet_variants(padded: str) -> list[str]:
    """The strings to scan when words may mix letters with digits, @ or $ (see `fold`).

    Only the words holding a digit, @ or $ are looked at and rewritten (translating the whole
    text would cost a dictionary look-up per character); a word that mixes without one reads
    the same either way.
    """
    signed: list[tuple[int, int, bool]] = []  # each word with a sign: start, end, mixes
    end = 0
    for sign in _LEET_HINT.finditer(padded):
        if sign.start() < end:
            continue  # in the word just looked at
        start = padded.rfind(" ", 0, sign.start()) + 1
        end = padded.find(" ", sign.start())
        signed.append((start, end, _is_mixed(padded[start:end])))
    mixed = [(start, end) for start, end, mixes in signed if mixes]
    if not mixed:
        return [padded]
    variants = [_rewrite(padded, [(s, e, padded[s:e].translate(_LEET)) for s, e in mixed])]
    if any("1" in padded[start:end] for start, end in mixed):
        # 1 read as l in the words that mix; then every sign as a letter, in every word.
        as_l = [(s, e, padded[s:e].translate(_LEET_L) if mixes else padded[s:e])
                for s, e, mixes in signed]  # fmt: skip
        variants.append(_rewrite(padded, [(s, e, word.translate(_LEET)) for s, e, word in as_l]))
    variants.append(padded)
    return variants


def _rewrite(padded: str, words: list[tuple[int, int, str]]) -> str:
    """``padded`` with each (start, end) replaced by the new text given for it."""
    pieces, last = [], 0
    for start, end, new in words:
        pieces += (padded[last:start], new)
        last = end
    pieces.append(padded[last:])
    return "".join(pieces)


def fold_rule_words(pattern: str) -> list[str]:
    """The folded words of a rule's word or phrase, read the way `fold` reads text."""
    words = " ".join(WORD_RE.findall(pattern)).lower()
    if not words.isascii():
        words = unicodedata.normalize("NFC", words).translate(_fold_table())
    return [word.translate(_LEET) if _is_mixed(word) else word for word in words.split(" ") if word]


def collapse_with_runs(value: str) -> tuple[str, list[int]]:
    """``value`` with runs of a repeated character folded to one, and the run lengths."""
    pieces = _RUN.findall(value)
    return "".join(char for _, char in pieces), [len(run) for run, _ in pieces]


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
