"""Build once the rows every URL of the access table needs."""

import re
from dataclasses import dataclass

from django.utils import timezone

from guide import services
from guide.models import Digest, Event, Reflection, Reply, Submission
from network.services import rebuild_round
from surveys.invitation_mail import new_invitation, token_for
from surveys.models import Round
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    RosterEntryFactory,
    RoundFactory,
    UserFactory,
)
from tests.guide.setup import published_entry
from tests.network.builders import submit


@dataclass
class World:
    """The rows behind the URLs, and the users of every persona."""

    users: dict
    round: Round
    earlier_round: Round
    organization: object
    other_organization: object
    response: object
    other_response: object
    token: str
    invited_response: object
    invitation: object
    entry: object
    submission: object
    reflection: object
    reply: object
    event: object

    def kwargs(self, route):
        """Return the value of every argument a route takes."""
        digest = route.startswith("exchange/digests/")
        pk = {
            "guide/entries/": self.entry.pk,
            "guide/review/": self.submission.pk,
            "exchange/replies/": self.reply.pk,
            "exchange/events/": self.event.pk,
            "exchange/": self.reflection.pk,
        }
        values = {
            "token": self.token,
            "uidb64": "MQ",
            "slug": self.earlier_round.slug if digest else self.round.slug,
            "other_slug": self.earlier_round.slug,
            "invitation_id": self.invitation.pk,
            "response_id": self.response.pk,
            "step": "organization",
            "format": "csv",
            "variant": "full",
            "organization_id": self.organization.pk,
            "kind": "csv",
            "pk": next((v for k, v in pk.items() if route.startswith(k)), None),
        }
        if route.startswith("guide/stages/"):
            values["slug"] = self.entry.stage.slug
        names = re.findall(r"<(?:\w+:)?(\w+)>", route)
        return {name: values[name] for name in names}


def build_world():
    """Create two rounds, three organizations, a snapshot, guide and exchange."""
    organization = OrganizationFactory(name="Northside Health Collaborative")
    other = OrganizationFactory(name="Riverbend Housing Alliance")
    invited = OrganizationFactory(name="Lakeshore Food Bank")
    users = {
        "member": MembershipFactory(
            organization=organization, user__email="member@northside.example"
        ).user,
        "outsider": MembershipFactory(
            organization=other, user__email="member@riverbend.example"
        ).user,
        "staff": UserFactory(email="staff@edn.example", is_staff=True),
        "admin": UserFactory(
            email="admin@edn.example", is_staff=True, is_superuser=True
        ),
    }

    earlier = RoundFactory(name="Round 2025", slug="r2025", status=Round.Status.CLOSED)
    round_ = RoundFactory(name="Round 2026", slug="r2026")
    for each in (earlier, round_):
        for org in (organization, other, invited):
            RosterEntryFactory(round=each, organization=org)
        submit(each, organization, partners=[other])
        submit(each, other, partners=[organization, invited])
    response = round_.responses.get(organization=organization)
    other_response = round_.responses.get(organization=other)
    invitation = new_invitation(round_, invited, "contact@lakeshore.example")
    invited_response = round_.responses.create(organization=invited)
    rebuild_round(earlier.id, force=True)
    rebuild_round(round_.id, force=True)

    practice = response.practices.create(
        stage="planning", text="We ask residents first.", consent="named"
    )
    entry = published_entry(practice)
    pending = other_response.practices.create(
        stage="planning", text="We share a calendar.", consent="named"
    )
    services.sync_submissions()
    reflection = Reflection.objects.create(
        author=users["member"],
        organization=organization,
        title="What we learned",
        body="Ask first.",
    )
    reply = Reply.objects.create(
        reflection=reflection,
        author=users["member"],
        organization=organization,
        body="Agreed.",
    )
    event = Event.objects.create(
        title="Workshop", starts_at=timezone.now(), place="Town hall"
    )
    Digest.objects.create(round=earlier, generated_at=timezone.now())
    return World(
        users=users,
        round=round_,
        earlier_round=earlier,
        organization=organization,
        other_organization=other,
        response=response,
        other_response=other_response,
        token=token_for(invitation),
        invited_response=invited_response,
        invitation=invitation,
        entry=entry,
        submission=Submission.objects.get(practice=pending),
        reflection=reflection,
        reply=reply,
        event=event,
    )
