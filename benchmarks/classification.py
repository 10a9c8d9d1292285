"""Classification throughput of the prohibited-content matcher.

Generates 10,000 realistic Swedish items (sentences from a few hundred Swedish words; some
with links, phone numbers, personnummer, e-mail addresses and disguised insults) and 2,000
active rules (1,950 words or phrases, 50 regular expressions), then times on one core:

- the Matcher (words, regexes and the built-in detectors): items/s;
- a naive loop over the rules, one compiled regular expression per rule (on a sample);
- one combined regular expression, an alternation of all words with boundaries (on a sample);
- a bare Aho-Corasick pass (pyahocorasick) over the lower-cased texts, the words alone.

Target: at least 20,000 items/s and at least 0.25 of the bare Aho-Corasick pass. Times are
the process's CPU time (best of --repeat runs, the Matcher and the bare pass alternating), so
other work on a shared machine does not count against either.

    .venv/bin/python -m benchmarks.classification [--items 10000] [--repeat 3] [--seed 8] [--tiny]
"""

import argparse
import os
import random
import re
import time

import ahocorasick
import django
from django.conf import settings

from benchmarks.environment import parse_args

settings.configure(USE_I18N=False)
django.setup()

from moderation.matching import Matcher, RuleSpec  # noqa: E402

WORDS = """
och i att det som en på är av för med till den har de inte om ett han men var jag sig från
vi så kan man när år säger hon under också efter eller nu sin där vid mot ska skulle kommer
ut får finns vara hade alla andra mycket än här då sedan över bara in blir upp även vad
första två nya inom dag inga många mer nytt senaste stora kommunen Åtvidaberg skolan
förskolan biblioteket badhuset vägen gatan parken sjön torget centrum bussen tåget parkering
snöröjning sophämtning återvinning vatten avlopp bygglov detaljplan äldreomsorgen
hemtjänsten socialtjänsten fritidsgården idrottshallen simhallen ishallen kulturhuset
konserten föreställningen utställningen evenemanget marknaden festivalen sommaren vintern
hösten våren helgen måndag tisdag onsdag torsdag fredag lördag söndag morgon kväll natt
vecka månad tack hej hallå fråga svar undrar varför hur när vem vilken bra dåligt fint
tråkigt roligt viktigt svårt lätt snabbt långsamt tidigt sent öppet stängt barn föräldrar
elever lärare personal medborgare invånare grannar besökare turister politiker nämnden
fullmäktige styrelsen förvaltningen enheten chefen handläggaren ansökan beslut avgift taxa
budget skatt kostnad pengar hyra lön bidrag stöd hjälp trafik cykel bil buss gångväg
cykelbana övergångsställe hastighet olycka skylt lampa belysning gatlykta grus asfalt hål
grop is snö regn blåst sol värme kyla vatten öppettider telefontid mottagning e-tjänst
blankett formulär information nyhet inbjudan möte samråd dialog medborgardialog synpunkt
klagomål beröm förslag idé ny gammal stor liten lång kort hög låg varm kall ren smutsig tyst
högljudd trevlig tycker tror vet hoppas önskar behöver vill kan måste borde ska får brukar
slutar börjar åka gå springa cykla köra parkera vänta ringa skriva läsa titta lyssna hämta
lämna äta dricka sova jobba plugga leka träna bada fiska promenera handla laga bygga riva
""".split()  # noqa: SIM905 - the vocabulary reads better as prose

INSULT_STEMS = [
    "idiot", "pucko", "dumskalle", "fjant", "mongo", "cp", "jävla", "helvete", "fan", "skit",
    "hora", "fitta", "kuk", "bög", "blatte", "neger", "fascist", "nazist", "äckel", "rövhål",
    "klantskalle", "nolla", "pappskalle", "tönt", "mähä", "dåre", "galning", "svin", "as",
    "kräk", "lögnare", "bedragare", "tjuv", "korrupt", "mutkolv", "parasit", "snyltare",
]  # fmt: skip
SYLLABLES = ["ka", "ro", "bi", "lu", "ste", "mä", "fö", "då", "gri", "pel", "svå", "tor",
             "nek", "vu", "ji", "hä", "bro", "sku", "plo", "ån", "kvi", "ög", "dra", "sne",
             "tju"]  # fmt: skip
LINKS = ["https://www.atvidaberg.se/kontakt", "https://bit.ly/3xYzAb", "www.köpbilligt.example",
         "https://polisen.se/tips", "kolla.nu/erbjudande", "https://youtube.com/watch?v=abc123",
         "http://gratis-iphone.example/vinn", "facebook.com/groups/atvidaberg"]  # fmt: skip


def _disguise(word: str, rng: random.Random) -> str:
    kind = rng.randrange(5)
    if kind == 0:
        return word.upper()
    if kind == 1:
        i = rng.randrange(len(word))
        return word[:i] + word[i] * rng.randint(3, 5) + word[i + 1 :]
    if kind == 2:
        return rng.choice([" ", "."]).join(word)
    if kind == 3:
        return word.translate(str.maketrans("oiea", "0134"))
    return word.capitalize() + rng.choice(["en", "ar", "arna", ""])


def _pnr(rng: random.Random) -> str:
    while True:
        digits = f"{rng.randint(40, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        digits += f"{rng.randint(1, 999):03d}"
        total = 0
        for i, d in enumerate(digits):
            v = int(d) * (2 - i % 2)
            total += v - 9 if v > 9 else v
        return f"{digits[:6]}-{digits[6:]}{(10 - total % 10) % 10}"


def make_items(count: int, rng: random.Random) -> list[str]:
    items = []
    for _ in range(count):
        words = rng.choices(WORDS, k=rng.randint(6, 40))
        roll = rng.random()
        if roll < 0.10:
            words.insert(rng.randrange(len(words)), _disguise(rng.choice(INSULT_STEMS), rng))
        elif roll < 0.16:
            words.insert(rng.randrange(len(words)), rng.choice(LINKS))
        elif roll < 0.19:
            words.append(rng.choice(["ring", "sms:a"]) + f" 070-{rng.randint(100, 999)} "
                         f"{rng.randint(10, 99)} {rng.randint(10, 99)}")  # fmt: skip
        elif roll < 0.21:
            words.append(f"mitt personnummer är {_pnr(rng)}")
        elif roll < 0.23:
            words.append(f"maila {rng.choice(['anna', 'per.olsson'])}@gmail.com")
        elif roll < 0.30:
            day, month, hour = rng.randint(1, 28), rng.randint(1, 12), rng.randint(8, 20)
            words.insert(0, f"Mötet är {day}/{month} kl {hour}.00")
        text = " ".join(words)
        text = text[0].upper() + text[1:] + rng.choice([".", "!", "?", "!!", " :)", "..."])
        items.append(text)
    return items


def make_rules(rng: random.Random) -> list[RuleSpec]:
    categories = ["fortal", "hets", "vald_pornografi", "brott", "upphovsratt", "svordomar",
                  "reklam", "sekretess"]  # fmt: skip
    words: set[str] = set()
    for stem in INSULT_STEMS:
        words.add(stem)
        if len(stem) >= 3:
            words.add(stem + "*")
    while len(words) < 1950:
        word = "".join(rng.choices(SYLLABLES, k=rng.randint(2, 4)))
        roll = rng.random()
        if roll < 0.15:
            word += "*"
        elif roll < 0.25:
            word = f"{rng.choice(WORDS)} {word}"
        words.add(word)
    rules = [
        RuleSpec(i, f"Ord {i}", "word", word, rng.choice(categories), rng.choice(["flag", "hide"]))
        for i, word in enumerate(sorted(words))
    ]
    templates = [r"k[öo]p\s+{w}", r"{w}\s*\d{{2,4}}\s*kr", r"(?:gratis|billig)\s+{w}",
                 r"swish\s*\d{{3}}\s*{w}", r"{w}\.(?:ru|cn|xyz)\b", r"\d+\s*%\s*{w}",
                 r"vinn\s+(?:en\s+)?{w}", r"{w}[\s-]*(?:rabatt|erbjudande)",
                 r"ring\s+{w}\s+\d+", r"\b{w}(?:ar|en|na)?\s+säljes"]  # fmt: skip
    for i in range(50):
        pattern = templates[i % len(templates)].format(w="".join(rng.choices(SYLLABLES, k=2)))
        rules.append(RuleSpec(2000 + i, f"Uttryck {i}", "regex", pattern, "reklam"))
    return rules


# Patterns that backtrack without bound in Python's re (issue 18's probe), with a text each.
CATASTROPHIC = [
    (r"(a|aa)+$", "a{n}!"), (r"(a|ab|b)+c", "ab{n}"), (r".*.*.*.*=", "x{n}"),
    (r"[a-z]+[a-z]+[a-z]+[a-z]+!", "a{n}"), (r"(.*a){10}x", "a{n}"), (r"(a.*){8}!!", "a{n}!"),
    (r"(?:.{0,50}a){20}x", "a{n}"),
]  # fmt: skip


def catastrophic_ms(*, tiny: bool) -> float:
    """The slowest of the probe's patterns (and a DFA-hard one) on a text of the default
    limit's length (MODERATION_REGEX_TEXT_LIMIT), in CPU milliseconds."""
    from moderation.matching.matcher import REGEX_TEXT_LIMIT

    n = 2_000 if tiny else REGEX_TEXT_LIMIT
    worst = 0.0
    for i, (pattern, shape) in enumerate(CATASTROPHIC):
        matcher = Matcher([RuleSpec(i, "Prov", "regex", pattern, "reklam")])
        fill, _, tail = shape.partition("{n}")
        text = (fill * n)[: n - len(tail)] + tail
        started = time.process_time()
        matcher.match(text)
        worst = max(worst, (time.process_time() - started) * 1000)
    return worst


def timed(function, items, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        function(items)
        best = min(best, time.process_time() - started)
    return len(items) / best


def timed_pair(first, second, items, repeat: int) -> tuple[float, float]:
    """Best of ``repeat`` alternating runs of both, so a busy machine slows both alike."""
    rates = [0.0, 0.0]
    for _ in range(repeat):
        for slot, function in enumerate((first, second)):
            rates[slot] = max(rates[slot], timed(function, items, 1))
    return rates[0], rates[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=8)
    args = parse_args(parser, tiny={"items": 200, "repeat": 1})
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    rng = random.Random(args.seed)
    items = make_items(args.items, rng)
    rules = make_rules(rng)
    words = [r.pattern for r in rules if r.kind == "word"]
    started = time.process_time()
    matcher = Matcher(
        rules,
        allowed_domains=["polisen.se", "facebook.com"],
        blocked_domains=["gratis-iphone.example"],
        municipal_domains=["atvidaberg.se"],
    )
    compile_s = time.process_time() - started

    def run_matcher(texts):
        for text in texts:
            matcher.match(text)

    naive = [
        re.compile(rf"(?<!\w){re.escape(w.strip('*'))}" + ("" if w.endswith("*") else r"(?!\w)"),
                   re.IGNORECASE)
        for w in words
    ]  # fmt: skip
    naive += [re.compile(r.pattern, re.IGNORECASE) for r in rules if r.kind == "regex"]

    def run_naive(texts):
        for text in texts:
            for compiled in naive:
                compiled.search(text)

    alternation = "|".join(re.escape(w.strip("*")) + ("\\w*" if w.endswith("*") else "")
                           for w in sorted(words, key=len, reverse=True))  # fmt: skip
    combined = re.compile(rf"\b(?:{alternation})\b", re.IGNORECASE)

    def run_combined(texts):
        for text in texts:
            combined.findall(text)

    bare = ahocorasick.Automaton()
    for w in words:
        bare.add_word(w.strip("*").lower(), w)
    bare.make_automaton()

    def run_bare(texts):
        for text in texts:
            for _hit in bare.iter(text.lower()):
                pass

    flagged = sum(1 for text in items if matcher.match(text))
    sample = items[: max(1, args.items // 20)]
    ours, bare_rate = timed_pair(run_matcher, run_bare, items, args.repeat)
    naive_rate = timed(run_naive, sample, 1)
    combined_rate = timed(run_combined, sample, 1)

    print(f"items: {len(items)} (mean {sum(map(len, items)) / len(items):.0f} characters), "
          f"{flagged} with at least one match")  # fmt: skip
    print(f"rules: {len(words)} words or phrases, {len(rules) - len(words)} regular expressions, "
          f"plus the built-in detectors; compiled in {compile_s * 1000:.0f} ms")  # fmt: skip

    def rate(value: float) -> str:
        return f"{value:>10,.0f} items/s  ({1e6 / value:.2f} µs an item)"

    print(f"Matcher (words, regexes, detectors): {rate(ours)}")
    on_sample = f"items/s  (on {len(sample)} items)"
    print(f"naive loop, one regex per rule:      {naive_rate:>10,.0f} {on_sample}")
    print(f"one combined regular expression:     {combined_rate:>10,.0f} {on_sample}")
    print(f"bare Aho-Corasick, words alone:      {rate(bare_rate)}")
    print(f"Matcher / bare Aho-Corasick:         {ours / bare_rate:>10.3f}  (target >= 0.25)")
    worst = catastrophic_ms(tiny=len(items) < 1000)
    print(f"worst catastrophic regex, long text: {worst:>10.1f} ms  (target < 1,000)")
    print(f"target >= 20,000 items/s:            {'met' if ours >= 20_000 else 'NOT met'}")


if __name__ == "__main__":
    main()
