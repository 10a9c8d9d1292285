"""The rules of the guideline's prohibited content, the domain lists, and where a rule (or a
built-in detector) matched an item's text."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.validators import validate_single_line

from ..categories import Category, RuleAction
from .items import Item


class Rule(models.Model):
    """A rule of the guideline's prohibited content, kept by Informationsenheten."""

    class Kind(models.TextChoices):
        WORD = "word", _("Ord eller fras")
        REGEX = "regex", _("Reguljärt uttryck")
        DOMAIN = "domain", _("Domän")

    name = models.CharField(_("namn"), max_length=200, validators=[validate_single_line])
    kind = models.CharField(_("slag"), max_length=10, choices=Kind.choices)
    pattern = models.CharField(_("mönster"), max_length=500)
    category = models.CharField(_("kategori"), max_length=30, choices=Category.choices)
    action = models.CharField(
        _("åtgärd"), max_length=10, choices=RuleAction.choices, default=RuleAction.FLAG
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    test_mode = models.BooleanField(
        _("testläge"),
        default=False,
        help_text=_("I testläge registreras träffar men inget döljs eller flaggas."),
    )
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("regel")
        verbose_name_plural = _("regler")
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "pattern", "category"],
                name="rule_pattern_unique_per_category",
                violation_error_message=_("Regeln finns redan."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class DomainEntry(models.Model):
    """A domain whose links are allowed (public bodies) or blocked (hidden at once)."""

    class List(models.TextChoices):
        ALLOW = "allow", _("Tillåten")
        BLOCK = "block", _("Blockerad")

    domain = models.CharField(_("domän"), max_length=253, unique=True)
    list = models.CharField(_("lista"), max_length=10, choices=List.choices)
    note = models.CharField(_("anteckning"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("domän")
        verbose_name_plural = _("domäner")
        ordering = ["list", "domain"]

    def __str__(self) -> str:
        return self.domain


class RuleMatch(models.Model):
    """Where a rule (or a built-in detector) matched an item's text."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="matches")
    rule = models.ForeignKey(Rule, on_delete=models.SET_NULL, null=True, blank=True)
    rule_name = models.CharField(_("regel"), max_length=200)
    category = models.CharField(_("kategori"), max_length=30, choices=Category.choices)
    action = models.CharField(_("åtgärd"), max_length=10, choices=RuleAction.choices)
    test_mode = models.BooleanField(_("testläge"), default=False)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("träff")
        verbose_name_plural = _("träffar")
        ordering = ["start", "pk"]

    def __str__(self) -> str:
        return f"{self.rule_name} ({self.category})"
