"""Read where each round and each roster organization stands, in few queries."""

from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from organizations.models import Membership, Organization
from surveys.models import Invitation, Response, RosterEntry, Round

STATUS_FILTERS = {
    "not_invited": _("Not invited"),
    "invited": _("Invited, not opened"),
    "opened": _("Opened, not started"),
    "draft": _("Draft"),
    "submitted": _("Submitted"),
    "no_contact": _("No contact"),
}

STATUS_QUERIES = {
    "not_invited": Q(is_invited=False, response_status__isnull=True),
    "invited": Q(is_invited=True, is_opened=False, response_status__isnull=True),
    "opened": Q(is_opened=True, response_status__isnull=True),
    "draft": Q(response_status=Response.Status.DRAFT),
    "submitted": Q(response_status=Response.Status.SUBMITTED),
    "no_contact": Q(has_contact=False),
}

STATUS_LABELS = {
    "not_invited": _("Not invited"),
    "invited": _("Invited"),
    "opened": _("Opened"),
    "draft": _("Draft"),
    "submitted": _("Submitted"),
}

STATUS_BADGES = {
    "not_invited": "text-bg-light border",
    "invited": "bg-primary-subtle text-primary-emphasis",
    "opened": "bg-info-subtle text-info-emphasis",
    "draft": "edn-badge-draft",
    "submitted": "edn-badge-open",
}


@dataclass
class InvitationRow:
    """One roster organization on the staff invitations page."""

    organization: Organization
    contacts: list
    invitations: list = field(default_factory=list)

    @property
    def status(self):
        organization = self.organization
        if organization.response_status:
            return organization.response_status
        if organization.is_opened:
            return "opened"
        return "invited" if organization.is_invited else "not_invited"

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def status_badge(self):
        return STATUS_BADGES[self.status]

    @property
    def addresses(self):
        """Return each contact or invited address with its working link, if any."""
        active = {i.email.lower(): i for i in self.active_invitations}
        emails = dict.fromkeys([*self.contacts, *active])
        return [(email, active.get(email)) for email in emails]

    @property
    def active_invitations(self):
        return [i for i in self.invitations if i.revoked_at is None]

    @property
    def invited_at(self):
        times = [i.sent_at for i in self.active_invitations if i.sent_at]
        return max(times, default=None)

    @property
    def opened_at(self):
        return min((i.opened_at for i in self.invitations if i.opened_at), default=None)

    @property
    def reminders(self):
        return sum(i.reminders_sent for i in self.invitations)

    @property
    def last_reminded_at(self):
        times = [i.last_reminded_at for i in self.invitations if i.last_reminded_at]
        return max(times, default=None)


def _count_per_round(queryset):
    counts = (
        queryset.filter(round=OuterRef("pk"))
        .order_by()
        .values("round")
        .annotate(n=Count("organization", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def rounds_with_counts():
    """Return every round with its roster size and its invited, opened and
    answered organizations counted."""
    responses = Response.objects.all()
    invitations = Invitation.objects.all()
    return Round.objects.annotate(
        roster_size=_count_per_round(RosterEntry.objects.all()),
        invited=_count_per_round(
            invitations.filter(revoked_at__isnull=True, sent_at__isnull=False)
        ),
        opened=_count_per_round(invitations.filter(opened_at__isnull=False)),
        drafts=_count_per_round(responses.filter(status=Response.Status.DRAFT)),
        submitted=_count_per_round(responses.filter(status=Response.Status.SUBMITTED)),
    )


def roster_organizations(round_):
    """Return a round's roster organizations, each annotated with its state."""
    invitations = Invitation.objects.filter(round=round_, organization=OuterRef("pk"))
    responses = Response.objects.filter(round=round_, organization=OuterRef("pk"))
    contacts = Membership.objects.filter(
        organization=OuterRef("pk"),
        role=Membership.Role.CONTACT,
        user__is_active=True,
    )
    return (
        Organization.objects.filter(roster_entries__round=round_)
        .select_related("sector")
        .annotate(
            is_invited=Exists(
                invitations.filter(revoked_at__isnull=True, sent_at__isnull=False)
            ),
            is_opened=Exists(invitations.filter(opened_at__isnull=False)),
            response_status=Subquery(responses.values("status")[:1]),
            submitted_at=Subquery(responses.values("submitted_at")[:1]),
            has_contact=Exists(contacts),
        )
        .order_by("name", "pk")
    )


def filter_by_status(round_, status=""):
    """Return the roster organizations in one state, ready to be paginated."""
    organizations = roster_organizations(round_)
    if status in STATUS_QUERIES:
        organizations = organizations.filter(STATUS_QUERIES[status])
    return organizations.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(
                role=Membership.Role.CONTACT, user__is_active=True
            )
            .select_related("user")
            .order_by("user__email"),
            to_attr="contact_memberships",
        ),
        Prefetch(
            "invitations",
            queryset=Invitation.objects.filter(round=round_).order_by("created_at"),
            to_attr="round_invitations",
        ),
    )


def invitation_rows(round_, organizations):
    """Return a page of organizations as rows for the invitations table."""
    return [
        InvitationRow(
            organization=organization,
            contacts=[m.user.email for m in organization.contact_memberships],
            invitations=organization.round_invitations,
        )
        for organization in organizations
    ]


def round_figures(round_):
    """Return the roster size, how many are in each state, and the progress."""
    counts = {key: Count("pk", filter=query) for key, query in STATUS_QUERIES.items()}
    figures = roster_organizations(round_).aggregate(
        total=Count("pk"),
        invited_any=Count("pk", filter=Q(is_invited=True)),
        opened_any=Count("pk", filter=Q(is_opened=True)),
        **counts,
    )
    figures["filters"] = [
        (key, label, figures[key]) for key, label in STATUS_FILTERS.items()
    ]
    return figures
