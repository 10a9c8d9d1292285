"""Built-in detectors: personnummer and samordningsnummer, phone numbers, e-mail, links.

Personal data must not be published ("Personuppgiftslagen"), and links to prohibited content
are themselves prohibited ("Vad får inte publiceras", DOMAIN.md §4). All detectors read the
original text and report spans in it.
"""

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from urllib.parse import urlsplit

from personnummer.personnummer import PersonnummerException
from personnummer.personnummer import parse as parse_personnummer

# YYMMDD-NNNN, YYMMDD+NNNN, YYMMDDNNNN, YYYYMMDD-NNNN, YYYYMMDDNNNN (no other digits around).
# The search skips ahead only to what a pattern's first element names: a single digit here
# (\d{6} would be tried at every position), so the look-behind follows the first digits.
_PNR = re.compile(r"\d\d{5}(?<![\w+-].{6})(?:\d\d)?[-+]?\d{4}(?!\w|-\d)")

# +46 70 123 45 67, 0046-70-1234567, 070-123 45 67, 0120-123 45, 08-123 456 78, (0)13 ...
# (Each alternative starts with its own character, + or 0, for the same reason.)
_PHONE = re.compile(
    r"(?:\+46(?<![\w+].{3})[ -]?(?:\(0\)[ -]?)?|0046(?<![\w+].{4})[ -]?(?:\(0\)[ -]?)?"
    r"|0(?<![\w+].))[1-9](?:[ -]?\d){5,8}(?!\w)"
)
_DIGIT = re.compile(r"\d")

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@((?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,})(?![\w-])")

_TLDS = (
    "se|nu|com|net|org|info|eu|io|co|me|tv|biz|xyz|app|dev|online|site|shop|store|link|click"
    "|ly|gl|gd|to|cc|ws|be|de|dk|no|fi|is|ee|uk|us|fr|es|it|nl|pl|ru|ch|at|top|live|news"
)
_SCHEME_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'«»]+", re.IGNORECASE)
_BARE_URL = re.compile(
    rf"(?<![@\w.-])(?:[^\W_](?:[\w-]*[^\W_])?\.)+(?:{_TLDS})(?![\w-])(?:[/?#][^\s<>\"'«»]*)?",
    re.IGNORECASE,
)
# Every TLD has two letters or more: most dots (a sentence's end) fail the look-ahead at once
# instead of each of the fifty alternatives in turn.
_TLD = re.compile(rf"\.(?=[a-z]{{2}})(?:{_TLDS})(?![\w-])", re.IGNORECASE)
_TLD_LOWER = re.compile(rf"\.(?=[a-z]{{2}})(?:{_TLDS})(?![\w-])")  # skips ahead to each dot
# _TLD_LOWER on Latin-1 bytes, upper case included; the characters \w stands for, as bytes.
_LATIN1_WORD = re.escape(bytes(c for c in range(256) if re.match(r"\w", chr(c))))
_TLD_LATIN1 = re.compile(
    rb"\.(?=[a-z]{2})(?:%b)(?![%b-])" % (_TLDS.encode(), _LATIN1_WORD), re.IGNORECASE
)
_NOT_DIGIT = re.compile(r"\D")
_TRAILING = ".,;:!?)]}»”'\""


def count_digits(text: str) -> int:
    return len(_DIGIT.findall(text))


# A phone number has at least 8 digits (0 and 7 more), a personnummer 10.
MIN_NUMBER_DIGITS = 8


def might_link(text: str) -> bool:
    """A cheap test before the full link search: without it, no link is looked for.

    On the lower-cased text: a dot, and a dot before a TLD, or :// or www.
    """
    if "." not in text:
        return False
    try:
        encoded = text.encode("latin-1")
    except UnicodeEncodeError:
        lowered = text.lower()
        return _TLD_LOWER.search(lowered) is not None or "://" in lowered or "www." in lowered
    # Latin-1 lower-cases letter by letter, and only A-Z to a-z, so the same test reads the
    # bytes as they are. A byte is found at C speed; a longer string is looked for only then.
    return (
        _TLD_LATIN1.search(encoded) is not None
        or (0x3A in encoded and b"://" in encoded)  # ":"
        or ((0x57 in encoded or 0x77 in encoded) and b"www." in encoded.lower())  # "W", "w"
    )


def personnummer_spans(text: str) -> Iterator[tuple[int, int, bool]]:
    """Spans of valid personnummer; the flag says samordningsnummer (day + 60).

    Validity follows personnummer.dev through its own package: Luhn, a real date (century from
    the separator for the short forms: + means a hundred years or older), a birth number other
    than 000. Candidates are rare (ten or twelve digits in a row), so the package's cost per
    candidate does not show in the throughput.
    """
    for match in _PNR.finditer(text):
        try:
            number = parse_personnummer(match.group())
        except PersonnummerException:
            continue
        yield match.start(), match.end(), number.is_coordination_number()


def phone_spans(text: str, taken: Iterable[tuple[int, int]] = ()) -> Iterator[tuple[int, int]]:
    """Spans of Swedish phone numbers, except where a personnummer already lies."""
    taken = list(taken)
    for match in _PHONE.finditer(text):
        start, end = match.span()
        digits = _NOT_DIGIT.sub("", match.group())
        national = digits[2:] if digits.startswith("46") else digits
        national = national[4:] if digits.startswith("0046") else national
        # A national significant number has 7 to 9 digits after the trunk 0 or +46.
        significant = national.lstrip("0")
        if not 7 <= len(significant) <= 9:
            continue
        if any(s < end and start < e for s, e in taken):
            continue
        yield start, end


def email_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """Spans of e-mail addresses and their domain, lower-cased."""
    # No address starts before the space ahead of the first @ (its local part has no space);
    # the pattern has nothing to skip ahead to, so the search starts there.
    start = text.rfind(" ", 0, max(text.find("@"), 0)) + 1
    for match in _EMAIL.finditer(text, start):
        yield match.start(), match.end(), normalise_domain(match.group(1))


def link_spans(text: str, lowered: str | None = None) -> Iterator[tuple[int, int, str]]:
    """Spans of links (with a scheme, starting www., or a bare host with a known TLD) and host.

    ``lowered`` is ``text.lower()`` if the caller has it.
    """
    lowered = text.lower() if lowered is None else lowered
    spans = _scheme_link_spans(text, lowered)
    covered = list(spans)
    # A bare host is found from its TLD backwards, so the full pattern runs only where it can.
    for tld in _TLD.finditer(text):
        if any(s <= tld.start() < e for s, e in covered):
            continue
        start = tld.start()
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-."):
            start -= 1
        bare = _BARE_URL.match(text, start)
        if bare and bare.end() >= tld.end():
            spans.append(bare.span())
            covered.append(bare.span())
    for start, end in sorted(spans):
        while end > start and text[end - 1] in _TRAILING:
            # A closing parenthesis belongs to the link when it opened one (Wikipedia links).
            if text[end - 1] == ")" and text.count("(", start, end) >= text.count(")", start, end):
                break
            end -= 1
        host = _host(text[start:end])
        if host:
            yield start, end, host


def _scheme_link_spans(text: str, lowered: str) -> list[tuple[int, int]]:
    """What ``_SCHEME_URL.finditer(text)`` finds, trying only where a match can start.

    A case-insensitive search tries every position. But each match shows in the lower-cased
    text as :// (4 or 5 characters after its start: http, https) or starts with www. (no
    letter but W folds to w), and where lower-casing kept the length, positions agree.
    """
    if "://" not in lowered and "www." not in lowered:
        return []
    if len(lowered) != len(text):
        return [m.span() for m in _SCHEME_URL.finditer(text)]
    starts = set()
    for needle, offsets in (("://", (4, 5)), ("www.", (0,))):
        at = lowered.find(needle)
        while at >= 0:
            starts.update(at - offset for offset in offsets if at >= offset)
            at = lowered.find(needle, at + 1)
    spans: list[tuple[int, int]] = []
    for start in sorted(starts):
        if (not spans or start >= spans[-1][1]) and (found := _SCHEME_URL.match(text, start)):
            spans.append(found.span())
    return spans


_HAS_SCHEME = re.compile(r"https?://", re.IGNORECASE)


def _host(url: str) -> str:
    if not _HAS_SCHEME.match(url):
        url = "http://" + url
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return normalise_domain(host)


def normalise_domain(value: str) -> str:
    """A host or domain as stored and compared: lower case, ASCII (IDNA), no trailing dot."""
    value = value.strip().lower().rstrip(".")
    return value if value.isascii() else _idna(value)


@lru_cache(maxsize=1024)
def _idna(value: str) -> str:
    """A host in ASCII (IDNA); the codec is slow and the same few hosts recur, so cached."""
    try:
        return value.encode("idna").decode("ascii")
    except UnicodeError:
        return value


def domain_in(host: str, domains) -> str | None:
    """The entry of ``domains`` that is ``host`` or one of its parent domains, if any."""
    while host:
        if host in domains:
            return host
        _, _, host = host.partition(".")
    return None
