"""The demo's trickle: every few seconds, on a random demo account, a citizen writes a Swedish
comment or direct message, answers an earlier comment, or edits or deletes one of their own,
so that a new user of `make run` sees items arrive, some of them caught by the starter rules.

Platform-neutral: it changes the simulator's world (`SimulatorState`) only, and each
platform's `simulator.py` shows the change in its own JSON. Deterministic for a given seed and
the same world, so tests can name what the tenth step does."""

import dataclasses
import random
import threading
import time

from .state import SimObject, SimulatorState

# Platforms where a citizen can write to the account directly (Messenger, Instagram Direct).
MESSAGE_PLATFORMS = ("facebook", "instagram")

# (text, caught by the starter rules or the built-in detectors when ingested)
COMMENTS = [
    ("Vilka öppettider har biblioteket i sommar?", False),
    ("Har simhallen öppet på långfredagen?", False),
    ("När töms soptunnorna på Grindstugevägen nästa gång?", False),
    ("Tack för en jättefin midsommarfirande i parken!", False),
    ("Vilken härlig sagostund i lördags, barnen älskade den.", False),
    ("Bra jobbat med snöröjningen i morse!", False),
    ("Var kan man lämna grovsopor i helgen?", False),
    ("Kommer det någon mer loppis på torget i höst?", False),
    ("Varför är gatlyktorna på Östra Ringvägen släckta sedan en vecka?", False),
    ("Det tar alldeles för lång tid att få svar från bygglov.", False),
    ("Hur ansöker man om plats i förskolan till hösten?", False),
    ("Tack till personalen på Tallbacken för att ni tog så väl hand om mamma.", False),
    ("Cykelbanan vid sjön är full av grus, kan ni sopa den?", False),
    ("Kul att ni lägger ut bilder från skolavslutningen!", False),
    ("Får man grilla vid badplatsen nu när det är torrt?", False),
    ("Bussen till Linköping var försenad igen i dag.", False),
    ("Vem ska man kontakta om en trasig lekplats?", False),
    ("Mycket bra information om vattenavstängningen, tack.", False),
    ("Jag tycker att ni borde ha längre öppet på kvällarna.", False),
    ("Skolmaten har blivit mycket bättre i år!", False),
    ("Hur gör jag för att boka en lokal i Folkets hus?", False),
    ("Det är skandal att fritidsgården stänger redan klockan nio.", False),
    ("Finns det lediga tider för simskola i augusti?", False),
    ("Kan man få hjälp med hemtjänst på helgerna också?", False),
    ("Ni är en idiot allihop på kommunhuset.", True),
    ("Vilka korkade beslut ni fattar hela tiden.", True),
    ("Min granne Sven har personnummer 19121212-1212, kolla upp honom!", True),
    ("Ring mig på 070-123 45 67 så berättar jag mer om grannen.", True),
    ("Gratis presentkort till alla invånare: logga in på atvidaberg-bankid-verifiering.xyz", True),
    ("Köp nu! Billiga solglasögon på www.solglasogon-rea.example", True),
    ("Bränn ner hela kommunhuset!", True),
    ("Vilket jävla slöseri med skattepengar.", True),
]

MESSAGES = [
    ("Hej! Jag undrar om jag kan få låna en lokal för ett kalas i maj?", False),
    ("Jag vill klaga på bemötandet jag fick i receptionen i går.", False),
    ("Hur lång är kön till äldreboende just nu?", False),
    ("Min son har fått fel schema i skolan, vem ska jag prata med?", False),
    ("Tack för snabb hjälp med parkeringstillståndet!", False),
    ("Jag skickar mitt personnummer 19121212-1212 så ni hittar mitt ärende.", True),
    ("Ring mig på 0120-123 45 om fakturan, tack.", True),
    ("Du är ett pucko som inte svarar på mina mejl.", True),
]

EDITS = [
    " (Redigerat: stavfel.)",
    " Förresten, tack för svaret!",
    " Uppdatering: det löste sig.",
]

AUTHORS = [
    "Anna Lindqvist",
    "Bertil Holm",
    "Camilla Ek",
    "David Nyström",
    "Elin Sjöberg",
    "Fredrik Åberg",
    "Greta Wallin",
    "Hassan Ali",
    "Ida Persson",
    "Johan Bergström",
    "Karin Öhman",
    "Leila Karimi",
]

# What a step does, by weight: most steps bring something new.
STEPS = [("comment", 6), ("message", 2), ("reply", 2), ("edit", 1), ("delete", 1)]


@dataclasses.dataclass(frozen=True)
class Account:
    platform: str  # the simulator's platform segment: facebook, instagram, x, youtube, wordpress
    account: str


@dataclasses.dataclass(frozen=True)
class Event:
    kind: str  # comment, message, reply, edit or delete
    platform: str
    account: str
    object_id: str
    text: str


class Trickle:
    """One step at a time (`step`), or a thread that steps every `interval` seconds
    (`start`/`stop`)."""

    def __init__(
        self,
        state: SimulatorState,
        accounts,
        *,
        seed: int | None = None,
        interval: float = 8.0,
        clock=time.time,
    ):
        self.state = state
        self.accounts = list(accounts)
        self.random = random.Random(seed)  # noqa: S311  (a demo's dice, not a secret)
        self.interval = interval
        self.clock = clock
        self.paused = False
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    # --- One step ---------------------------------------------------------------------

    def step(self) -> Event | None:
        """Do one thing on a random account; None when there is nothing to do (no account,
        or the account has no post to comment on)."""
        if not self.accounts:
            return None
        account = self.random.choice(self.accounts)
        kinds, weights = zip(*STEPS, strict=True)
        kind = self.random.choices(kinds, weights)[0]
        if kind == "message" and account.platform not in MESSAGE_PLATFORMS:
            kind = "comment"
        if kind in ("reply", "edit", "delete"):
            done = self._on_earlier(kind, account)
            if done is not None:
                return done
            kind = "comment"
        if kind == "message":
            return self._message(account)
        return self._comment(account)

    def _author(self) -> str:
        return self.random.choice(AUTHORS)

    def _comment(self, account: Account) -> Event | None:
        posts = self.state.listing(account.platform, account.account, "post")
        if not posts:
            return None
        post = self.random.choice(posts)
        text, _caught = self.random.choice(COMMENTS)
        obj = self.state.add(
            account.platform,
            account.account,
            "comment",
            text,
            author=self._author(),
            parent=post.id,
            created=self.clock(),
        )
        return Event("comment", account.platform, account.account, obj.id, text)

    def _message(self, account: Account) -> Event:
        text, _caught = self.random.choice(MESSAGES)
        obj = self.state.add(
            account.platform,
            account.account,
            "message",
            text,
            author=self._author(),
            created=self.clock(),
        )
        return Event("message", account.platform, account.account, obj.id, text)

    def _citizens_comments(self, account: Account) -> list[SimObject]:
        return [
            obj
            for obj in self.state.listing(account.platform, account.account, "comment")
            if not obj.by_account
        ]

    def _on_earlier(self, kind: str, account: Account) -> Event | None:
        earlier = self._citizens_comments(account)
        if not earlier:
            return None
        target = self.random.choice(earlier)
        if kind == "reply":
            text, _caught = self.random.choice(COMMENTS)
            author = self.random.choice([name for name in AUTHORS if name != target.author])
            obj = self.state.add(
                account.platform,
                account.account,
                "comment",
                text,
                author=author,
                parent=target.id,
                created=self.clock(),
            )
            return Event("reply", account.platform, account.account, obj.id, text)
        if kind == "edit":
            text = target.text + self.random.choice(EDITS)
            self.state.edit(account.platform, target.id, text, at=self.clock())
            return Event("edit", account.platform, account.account, target.id, text)
        self.state.delete_by_author(account.platform, target.id)
        return Event("delete", account.platform, account.account, target.id, target.text)

    # --- The thread -------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="simulator-trickle", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stopped.wait(self.interval):
            if not self.paused:
                self.step()
