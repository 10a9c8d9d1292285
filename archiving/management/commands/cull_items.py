from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from archiving.culling import services as culling
from archiving.models import CullingProposal
from atvida_social.organisation.exceptions import DomainError


class Command(BaseCommand):
    help = (
        "Gallrar inlägg av ringa eller tillfällig betydelse. Utan flaggor: som den nattliga "
        "körningen (föreslår en gallring, eller gallrar direkt om granskning är avstängd). "
        "--dry-run visar vad som skulle gallras utan att ta bort något. --approve ID --as "
        "ANVÄNDARE godkänner ett förslag och gallrar det."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Visa bara vad som går.")
        parser.add_argument("--approve", type=int, metavar="ID", help="Förslaget att godkänna.")
        parser.add_argument(
            "--as", dest="username", metavar="ANVÄNDARE", help="Informationsenhetens användare."
        )
        parser.add_argument("--batch-size", type=int, default=1000, help="Inlägg per omgång.")

    def handle(self, *args, dry_run, approve, username, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size ska vara minst 1.")
        user = self._user(username) if username else None
        proposal = None
        if approve is not None:
            proposal = CullingProposal.objects.filter(pk=approve).first()
            if proposal is None:
                raise CommandError(f"Det finns inget förslag till gallring med id {approve}.")
            if user is None and not dry_run:
                raise CommandError("Ange vem som godkänner med --as ANVÄNDARE.")
        try:
            if dry_run:
                self._preview(culling.cull(proposal, by=user, dry_run=True, batch_size=batch_size))
            elif proposal is not None:
                culling.approve_culling(proposal, by=user)
                proposal.refresh_from_db()
                # Without a broker the culling ran in-process as the approval committed.
                self.stdout.write(
                    f"Förslag {proposal.pk} är {proposal.get_status_display().lower()}."
                    + ("" if proposal.status == "genomford" else " Bakgrundsjobbet gallrar.")
                )
            else:
                self._job(culling.run_culling_job(batch_size=batch_size))
        except DomainError as error:
            raise CommandError(str(error.message)) from error

    def _user(self, username):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Det finns ingen aktiv användare {username}.")
        return user

    def _preview(self, result):
        preview = result.preview
        self.stdout.write(f"Provkörning: {preview.total} inlägg skulle gallras. Inget togs bort.")
        for row in preview.rows:
            self.stdout.write(f"  {row.channel} {row.month:%Y-%m}: {row.items}")
        for item in preview.sample:
            received = f"{item.received_at:%Y-%m-%d}"
            self.stdout.write(f"  exempel: {item.pk} {item.external_id} {received}")

    def _report(self, result):
        self.stdout.write(
            f"{result.items} inlägg gallrade, varav {result.markers} kvar som markering i tråd."
        )

    def _job(self, outcome):
        if outcome is None:
            self.stdout.write("Inget att gallra.")
        elif isinstance(outcome, CullingProposal):
            self.stdout.write(
                f"Förslag {outcome.pk}: {outcome.item_count} inlägg väntar på granskning."
            )
        else:
            self._report(outcome)
