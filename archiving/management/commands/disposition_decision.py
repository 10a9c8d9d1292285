import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from archiving.culling import services as culling
from atvida_social.organisation.exceptions import DomainError


class Command(BaseCommand):
    help = (
        "Anger beslutet i dokumenthanteringsplanen som gallringen vilar på (det senaste gäller). "
        "Utan beslut gallras ingenting."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reference", required=True, help="Beslutets referens (dnr, avsnitt).")
        parser.add_argument("--description", required=True, help="Vad beslutet säger om gallring.")
        parser.add_argument("--adopted-on", required=True, metavar="ÅÅÅÅ-MM-DD")
        parser.add_argument("--as", dest="username", required=True, metavar="ANVÄNDARE")

    def handle(self, *args, reference, description, adopted_on, username, **options):
        try:
            adopted = datetime.date.fromisoformat(adopted_on)
        except ValueError:
            raise CommandError("--adopted-on ska vara ett datum, ÅÅÅÅ-MM-DD.") from None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Det finns ingen aktiv användare {username}.")
        try:
            decision = culling.record_disposition_decision(
                by=user, reference=reference, description=description, adopted_on=adopted
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(f"Gallringen vilar nu på {decision.reference}.")
