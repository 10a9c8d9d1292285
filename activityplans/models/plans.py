"""The activity plan of Bilaga 2 (Aktivitetsplan för sociala medier): one revision of a
unit's plan for one social medium, and the content its signatures cover."""

import hashlib
import json
import operator
import secrets
from functools import reduce

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.models import Unit
from atvida_social.organisation.validators import validate_single_line
from channels.models import Channel, Platform

from ..querysets import ActivityPlanQuerySet
from ..workflow import EDITABLE, OPEN, PlanStatus
from .monitoring import MonitoringFrequency, describe_monitoring
from .signed_content import SIGNED_FIELDS, UNSTRUCTURED_MONITORING, normalised

# An answer in Bilaga 2 is a few paragraphs; the bound keeps pages and PDFs fast.
ANSWER_MAX_LENGTH = 4000

# The answers Bilaga 2 and "Tänk igenom mål, syfte och resurstillgång" ask for, each
# required on its own: the service refuses a blank or whitespace-only answer, the database an
# empty one (`plan_required_answers_given`).
REQUIRED_ANSWERS = (
    "purpose",
    "audience",
    "goals",
    "measurable_goals",
    "monitoring",
    "publishing_frequency",
    "how_it_strengthens",
    "how_goals_are_measured",
    "how_audience_is_reached",
    "why_this_channel",
    "who_writes_and_archives",
)
# The two confirmations of Bilaga 2, each required (`plan_confirmations_given`).
CONFIRMATIONS = ("consulted_information_unit", "guidelines_followed")


def answer_field(label, **kwargs) -> models.TextField:
    """A free-text answer of the plan, bounded in the form and in the service alike."""
    kwargs.setdefault("max_length", ANSWER_MAX_LENGTH)
    kwargs["validators"] = [MaxLengthValidator(kwargs["max_length"])]
    return models.TextField(label, **kwargs)


def approved_pdf_path(instance, filename: str) -> str:
    """Stored files get unguessable names; they are served only through checked views."""
    return f"aktivitetsplaner/{secrets.token_urlsafe(24)}.pdf"


class GraphicProfile(models.TextChoices):
    FOLLOWED = "foljs", _("Kommunens grafiska profil följs")
    DEVIATION = "avsteg", _("Avsteg från den grafiska profilen begärs")


class ActivityPlan(models.Model):
    """One revision of a unit's plan for one social medium; fields in Bilaga 2's order."""

    # Bilaga 2, page 1
    platform = models.CharField(
        _("Socialt medium"),
        max_length=20,
        choices=Platform.choices,
        help_text=_("Exempel: Facebook, X, YouTube, blogg."),
    )
    url = models.URLField(
        _("Webbadress"),
        max_length=500,
        help_text=_("Ange adressen, t.ex. https://www.facebook.com/…"),
    )
    account_name = models.CharField(
        _("Kontots namn"),
        max_length=200,
        validators=[validate_single_line],
        help_text=_("T.ex. Åtvidabergs kulturskola, @hemti_abg"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="activity_plans",
        verbose_name=_("Kommunal verksamhet"),
        help_text=_("Den kommunala verksamhet som ska finnas i det sociala mediet."),
    )
    purpose = answer_field(
        _("Syftet med att finnas i det sociala mediet"),
        help_text=_(
            "Kan t.ex. vara att sprida information, ge bättre service, skapa dialog eller få in "
            "synpunkter."
        ),
    )
    audience = answer_field(
        _("Vem är målgruppen för denna aktivitet"),
        help_text=_("Ange vilka eller vilka grupper som är de huvudsakliga målgrupperna."),
    )
    goals = answer_field(
        _("Vilka är målen för satsningen?"),
        help_text=_("För att kunna avgöra om satsningen har lyckats måste det finnas mål."),
    )
    measurable_goals = answer_field(
        _("Mätbara mål"), help_text=_("T.ex. att kontot på ett halvår har 200 följare.")
    )
    administrators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="administered_plans",
        verbose_name=_("Vem ska administrera kontot?"),
    )
    # Bilaga 2, page 2
    daily_operators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="operated_plans",
        verbose_name=_("Vem ska stå för den dagliga driften?"),
    )
    office_hours_only = models.BooleanField(
        _("Kontot bevakas endast under kontorstid"), default=True
    )
    monitoring = answer_field(
        _("Hur ofta och under vilka tider ska kontot bevakas och uppdateras"),
        help_text=_("Hur ofta kontrollerar ni om något nytt har kommit in?"),
    )
    monitoring_frequency = models.CharField(
        _("Hur ofta bevakas kontot"),
        max_length=20,
        choices=MonitoringFrequency.choices,
        default=MonitoringFrequency.WEEKLY,
        help_text=_("Enligt lag ska kontot bevakas minst en gång i veckan."),
    )
    monitoring_times_per_week = models.PositiveSmallIntegerField(
        _("Antal gånger i veckan"),
        null=True,
        blank=True,
        help_text=_("Mellan 2 och 6, om kontot bevakas några gånger i veckan."),
    )
    # ISO weekdays as digits, "135" = Monday, Wednesday and Friday.
    monitoring_weekdays = models.CharField(_("Vilka dagar"), max_length=7, blank=True)
    monitoring_from = models.TimeField(_("Bevakas från klockan"), null=True, blank=True)
    monitoring_until = models.TimeField(_("Bevakas till klockan"), null=True, blank=True)
    publishing_frequency = models.CharField(
        _("Hur ofta ska material publiceras"), max_length=300, validators=[validate_single_line]
    )
    hours_per_week = models.DecimalField(
        _("Beräknad arbetstid (timmar per vecka)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0.1, message=_("Ange ett positivt antal timmar."))],
    )
    other = answer_field(
        _("Övrigt"),
        blank=True,
        help_text=_("Annan information av betydelse för uppstarten och hanteringen av kontot."),
    )
    graphic_profile = models.CharField(
        _("Grafisk profil"),
        max_length=10,
        choices=GraphicProfile.choices,
        default=GraphicProfile.FOLLOWED,
    )
    graphic_profile_deviation = answer_field(
        _("Motivering till avsteg från den grafiska profilen"), blank=True
    )
    confidentiality_measures = answer_field(
        _("Åtgärder för att sekretessbelagd information inte sprids"),
        blank=True,
        help_text=_("Krävs för verksamheter under sekretess (vård och omsorg, förskola, skola)."),
    )
    consulted_information_unit = models.BooleanField(
        _("Samråd med informationsenheten har skett före upprättandet av denna aktivitetsplan"),
        default=False,
    )
    guidelines_followed = models.BooleanField(
        _("Riktlinjer för sociala medier har följts vid upprättandet av denna aktivitetsplan"),
        default=False,
    )
    # Tänk igenom mål, syfte och resurstillgång
    how_it_strengthens = answer_field(
        _("Hur kan medverkan i sociala medier stärka vår verksamhet?")
    )
    how_goals_are_measured = answer_field(_("Hur kan vi mäta våra mål?"))
    how_audience_is_reached = answer_field(_("Vilken är vår målgrupp och hur når vi den?"))
    why_this_channel = answer_field(
        _(
            "Har vi valt rätt kanal för det här sammanhanget, eller finns det andra och bättre "
            "sätt att nå ut och få effekt?"
        )
    )
    who_writes_and_archives = answer_field(
        _(
            "Vem är ansvarig för att skriva inlägg samt vid behov diarieföra, arkivera "
            "och gallra inlägg?"
        )
    )
    # Upprättad av; godkännande av verksamhetsansvarig
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="managed_plans",
        verbose_name=_("Ansvarig chef som godkänner planen"),
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="prepared_plans",
        verbose_name=_("Aktivitetsplanen upprättad av"),
    )
    prepared_on = models.DateField(_("Datum"))

    # Workflow and revisions
    status = models.CharField(
        _("status"), max_length=30, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    channel = models.ForeignKey(
        Channel,
        on_delete=models.PROTECT,
        related_name="activity_plans",
        null=True,
        blank=True,
        verbose_name=_("kanal"),
    )
    revision = models.PositiveIntegerField(_("revision"), default=1)
    supersedes = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name=_("reviderar"),
        help_text=_("Den gällande plan som revisionen utgår från."),
    )
    graphic_profile_approved = models.BooleanField(
        _("avsteg från grafisk profil godkänt"), null=True, blank=True
    )
    # The decision holds for this content only, as a signature does.
    graphic_profile_decided_hash = models.CharField(
        _("beslutet gäller innehållet (SHA-256)"), max_length=64, blank=True
    )
    approved_pdf = models.FileField(
        _("godkänd plan (PDF)"), upload_to=approved_pdf_path, blank=True
    )
    approved_pdf_sha256 = models.CharField(_("PDF:ens SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)

    objects = ActivityPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("aktivitetsplan")
        verbose_name_plural = _("aktivitetsplaner")
        ordering = ["-status_changed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "revision"], name="one_plan_revision_per_channel"
            ),
            models.UniqueConstraint(
                fields=["channel"],
                condition=Q(status=PlanStatus.APPROVED),
                name="one_current_plan_per_channel",
                violation_error_message=_("Kanalen har redan en gällande aktivitetsplan."),
            ),
            models.UniqueConstraint(
                fields=["channel"],
                condition=Q(status__in=sorted(OPEN)),
                name="one_open_plan_per_channel",
                violation_error_message=_(
                    "Det finns redan en pågående aktivitetsplan för den här kanalen."
                ),
            ),
            models.UniqueConstraint(
                fields=["platform", "url"],
                condition=Q(status__in=sorted(OPEN)),
                name="one_open_plan_per_address",
                violation_error_message=_(
                    "Det finns redan en pågående aktivitetsplan för den här kanalen."
                ),
            ),
            models.CheckConstraint(
                condition=Q(monitoring_frequency=MonitoringFrequency.TIMES_A_WEEK)
                & Q(monitoring_times_per_week__gte=2, monitoring_times_per_week__lte=6)
                | ~Q(monitoring_frequency=MonitoringFrequency.TIMES_A_WEEK)
                & Q(monitoring_times_per_week__isnull=True),
                name="monitoring_times_per_week_fits_frequency",
                violation_error_message=_("Ange 2–6 gånger i veckan."),
            ),
            models.CheckConstraint(
                condition=Q(monitoring_from__isnull=True, monitoring_until__isnull=True)
                | Q(monitoring_from__lt=models.F("monitoring_until")),
                name="monitoring_hours_ordered",
                violation_error_message=_("Bevakningen ska sluta senare än den börjar."),
            ),
            # "Flera gånger om dagen" is counted within the plan's hours: they are required.
            models.CheckConstraint(
                condition=~Q(monitoring_frequency=MonitoringFrequency.SEVERAL_A_DAY)
                | Q(monitoring_from__isnull=False, monitoring_until__isnull=False),
                name="monitoring_several_a_day_has_hours",
                violation_error_message=_(
                    "Ange under vilka tider kontot bevakas flera gånger om dagen."
                ),
            ),
            models.CheckConstraint(
                condition=Q(**dict.fromkeys(CONFIRMATIONS, True)),
                name="plan_confirmations_given",
                violation_error_message=_("Båda bekräftelserna i planen krävs."),
            ),
            models.CheckConstraint(
                condition=reduce(operator.and_, (~Q(**{name: ""}) for name in REQUIRED_ANSWERS)),
                name="plan_required_answers_given",
                violation_error_message=_("Planen saknar svar på en obligatorisk fråga."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_name} ({self.get_platform_display()}), rev. {self.revision}"

    def get_absolute_url(self) -> str:
        return reverse("activityplans:plan-detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_administration_head_blog(self) -> bool:
        """A förvaltningschef's own blog: a blog whose responsible manager heads the
        administration. Only it may have a single administrator (Bilaga 2)."""
        if self.platform != Platform.BLOG or not self.unit_id or not self.manager_id:
            return False
        return self.unit.administration.head_id == self.manager_id

    def clean(self):
        from channels.validators import validate_channel_url

        errors: dict[str, list] = {}
        if self.platform and self.url:
            try:
                validate_channel_url(self.platform, self.url)
            except ValidationError as error:
                errors["url"] = error.messages
        if self.unit_id and self.unit.is_confidential and not self.confidentiality_measures.strip():
            errors["confidentiality_measures"] = [
                _(
                    "Verksamheten arbetar under sekretess: beskriv hur sekretessbelagd "
                    "information hindras från att spridas."
                )
            ]
        if (
            self.graphic_profile == GraphicProfile.DEVIATION
            and not self.graphic_profile_deviation.strip()
        ):
            errors["graphic_profile_deviation"] = [
                _("Motivera avsteget från den grafiska profilen.")
            ]
        if not self.consulted_information_unit:
            errors["consulted_information_unit"] = [
                _("Samråd med informationsenheten ska ha skett innan planen upprättas.")
            ]
        if not self.guidelines_followed:
            errors["guidelines_followed"] = [_("Bekräfta att riktlinjerna har följts.")]
        if errors:
            raise ValidationError(errors)

    @property
    def monitoring_description(self) -> str:
        return describe_monitoring(
            self.monitoring_frequency,
            self.monitoring_times_per_week,
            self.monitoring_weekdays,
            self.monitoring_from,
            self.monitoring_until,
        )

    def validate_constraints(self, exclude=None):
        # plan_rule_errors and clean() check the monitoring, the answers and the confirmations
        # field by field with clearer messages; the database constraints stay the last wall.
        skipped = set(UNSTRUCTURED_MONITORING) | set(REQUIRED_ANSWERS) | set(CONFIRMATIONS)
        super().validate_constraints(exclude=set(exclude or ()) | skipped)

    def content(self) -> dict:
        """Everything a signature covers, normalised: "3" and 3.0 hours hash alike."""
        data = {
            field.name: normalised(field, getattr(self, field.attname))
            for field in self._meta.concrete_fields
            if field.name in SIGNED_FIELDS
        }
        # .all() so that a prefetched list page hashes without further queries.
        data["administrators"] = sorted(user.pk for user in self.administrators.all())
        data["daily_operators"] = sorted(user.pk for user in self.daily_operators.all())
        # A plan signed before monitoring was structured keeps its hash: the structured
        # answer is left out while it is the default every such plan has (weekly, no more).
        for name, default in UNSTRUCTURED_MONITORING.items():
            if data.get(name) == default:
                del data[name]
        return data

    def content_hash(self) -> str:
        canonical = json.dumps(self.content(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()

    def required_signers(self) -> list:
        """The responsible manager and every named account owner (administrator)."""
        signers = {self.manager_id: self.manager}
        for user in self.administrators.all():
            signers.setdefault(user.pk, user)
        return list(signers.values())
