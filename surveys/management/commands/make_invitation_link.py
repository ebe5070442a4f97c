"""Print a working invitation link for an organization in a round."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from organizations.models import Membership
from surveys.invitation_mail import link_for, new_invitation
from surveys.invitations import accepts_answers, contacts_by_organization
from surveys.models import Invitation, Response, Round


class Command(BaseCommand):
    help = (
        "Print a working invitation link, without sending any e-mail. With no "
        "options, pick the open round and a roster organization that has a "
        "contact and has not submitted yet."
    )

    def add_arguments(self, parser):
        parser.add_argument("--round", help="slug of the round")
        parser.add_argument("--organization", help="id or exact name")
        parser.add_argument("--email", help="address the link is for")

    def handle(self, *args, **options):
        chosen = options["round"] or options["organization"]
        round_ = self._round(options["round"])
        if round_ is None:
            if chosen:
                raise CommandError("No open round to make a link for.")
            self.stdout.write("No open round yet, so no invitation link to print.")
            return

        organization = self._organization(round_, options["organization"])
        if organization is None:
            if chosen:
                raise CommandError(
                    f"No organization with a contact on the roster of {round_}."
                )
            self.stdout.write(
                f"No organization on the roster of {round_} has a contact yet."
            )
            return
        email = options["email"] or self._contact(organization)

        invitation = Invitation.objects.filter(
            round=round_,
            organization=organization,
            email=email,
            revoked_at__isnull=True,
        ).first() or new_invitation(round_, organization, email)
        self.stdout.write(
            f"Invitation link for {organization} in round {round_} "
            f"({email}):\n  {link_for(invitation)}"
        )

    def _round(self, slug):
        if slug:
            round_ = Round.objects.filter(slug=slug).first()
            if round_ is None:
                raise CommandError(f"No round with the slug “{slug}”.")
            if not accepts_answers(round_):
                raise CommandError(f"Round {round_} is not open; open it first.")
            return round_
        rounds = Round.objects.filter(status=Round.Status.OPEN)
        return next((r for r in rounds if accepts_answers(r)), None)

    def _organization(self, round_, wanted):
        roster = round_.roster.order_by("name")
        if wanted:
            match = Q(name__iexact=wanted)
            if wanted.isdigit():
                match |= Q(pk=int(wanted))
            organization = roster.filter(match).first()
            if organization is None:
                raise CommandError(f"“{wanted}” is not on the roster of {round_}.")
            return organization
        with_contact = roster.filter(
            memberships__role=Membership.Role.CONTACT,
            memberships__user__is_active=True,
        ).distinct()
        submitted = Response.objects.filter(
            round=round_, status=Response.Status.SUBMITTED
        ).values("organization_id")
        return with_contact.exclude(pk__in=submitted).first() or with_contact.first()

    def _contact(self, organization):
        contacts = contacts_by_organization([organization.pk]).get(organization.pk)
        if not contacts:
            raise CommandError(f"{organization} has no contact; pass --email.")
        return contacts[0]
