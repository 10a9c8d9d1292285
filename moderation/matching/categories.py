"""The prohibited-content categories, rule kinds and actions as plain enums.

The slugs are the guideline's categories ("Vad får inte publiceras", DOMAIN.md §4) and are
stored in the database; the labels are plain Swedish words because citizens will read them.
``Category.choices`` has the same shape as Django's ``TextChoices.choices``.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class _Choices(StrEnum):
    """A str enum with a Swedish ``label`` per member and a class-level ``choices`` list."""

    @property
    def label(self) -> str:
        return self._labels()[self.value]

    @classmethod
    def _labels(cls) -> dict:
        raise NotImplementedError


class Category(_Choices):
    FORTAL = "fortal"
    HETS = "hets"
    VALD_PORNOGRAFI = "vald_pornografi"
    BROTT = "brott"
    UPPHOVSRATT = "upphovsratt"
    SVORDOMAR = "svordomar"
    REKLAM = "reklam"
    SEKRETESS = "sekretess"
    LANKAR = "lankar"
    PERSONUPPGIFTER = "personuppgifter"

    @classmethod
    def _labels(cls) -> dict:
        return _CATEGORY_LABELS


_CATEGORY_LABELS = {
    "fortal": _("Förtal, personangrepp eller förolämpningar"),
    "hets": _("Hets mot grupp, sexism eller trakasserier"),
    "vald_pornografi": _("Olagliga våldsskildringar eller pornografi"),
    "brott": _("Uppmaning till brott"),
    "upphovsratt": _("Olovlig användning av upphovsrättsskyddat material"),
    "svordomar": _("Svordomar eller oanständiga ord"),
    "reklam": _("Reklam eller kommersiella budskap"),
    "sekretess": _("Sekretessbelagda uppgifter"),
    "lankar": _("Länkar"),
    "personuppgifter": _("Personuppgifter"),
}


class Kind(_Choices):
    WORD = "word"
    REGEX = "regex"
    DOMAIN = "domain"

    @classmethod
    def _labels(cls) -> dict:
        return _KIND_LABELS


_KIND_LABELS = {
    "word": _("Ord eller fras"),
    "regex": _("Reguljärt uttryck"),
    "domain": _("Domän"),
}


class Action(_Choices):
    FLAG = "flag"
    HIDE = "hide"

    @classmethod
    def _labels(cls) -> dict:
        return _ACTION_LABELS


_ACTION_LABELS = {
    "flag": _("Flagga för granskning"),
    "hide": _("Dölj direkt i väntan på granskning"),
}

for _enum in (Category, Kind, Action):
    _enum.choices = [(member.value, member.label) for member in _enum]
