"""Decide what a viewer may see of a round's organizations and ties.

Every page, JSON endpoint, map payload, report and download shown to
participants asks this module; nothing else reads another organization's
answers on a participant's behalf. The rules, for a viewer who is neither
staff nor a member of the organization:

- named: shown with its name; its reports are shown;
- anonymous: shown as "<sector> organization <n>", with a number handed out
  once per round in an order that says nothing about it; no name, services,
  contact or free text; its reports are shown under that label;
- staff only: its reports never reach participants; it appears only at the
  end of ties others reported and allow, labelled like an anonymous one;
- not answered: shown with its name, and only through ties whose reporter
  allows it.

Staff see everything; members see everything of their own organization.
A tie is confirmed for a viewer only when the viewer may see both reports.
Free text (practices, write-in names, service areas, notes) of another
organization is never shown to participants.
"""

import hashlib
import hmac
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from organizations.models import Organization
from participants.models import AnonymousLabel
from surveys.models import Nomination, Response, Visibility

logger = logging.getLogger(__name__)

# An aggregate shown to participants rests on at least this many
# organizations, or it is not shown.
MIN_GROUP = 5

UNANSWERED = "unanswered"
LEVELS = ("communication", "coordination", "collaboration")
AGREEMENTS = ("none", "in_progress", "signed")
SHARING = ("none", "aggregate", "record")


def suppressed(count):
    """Return whether an aggregate over `count` organizations must be hidden."""
    return count < MIN_GROUP


@dataclass(frozen=True)
class Viewer:
    """Who is looking: staff, or a member of some organizations, or nobody."""

    is_staff: bool = False
    organization_ids: frozenset = frozenset()

    @classmethod
    def of(cls, user):
        """Return the viewer a request's user is."""
        if not user.is_authenticated:
            return cls()
        own = user.memberships.values_list("organization_id", flat=True)
        return cls(bool(user.is_staff), frozenset(own))


@dataclass
class Tie:
    """A tie as one viewer may see it, merged from the reports it may see."""

    a: int
    b: int
    reported_by: set = field(default_factory=set)
    level: str = "communication"
    a_refers_to_b: bool = False
    b_refers_to_a: bool = False
    data_agreement: str = "none"
    data_sharing: str = "none"
    wants_to_deepen: set = field(default_factory=set)

    @property
    def confirmed(self):
        return len(self.reported_by) == 2

    def other(self, organization_id):
        return self.b if organization_id == self.a else self.a

    def refers(self, source, target):
        """Return whether clients are referred from `source` to `target`."""
        return self.a_refers_to_b if source == self.a else self.b_refers_to_a


class RoundView:
    """What one viewer may see of one round."""

    def __init__(self, round, viewer):
        self.round = round
        self.viewer = viewer
        self.choices = dict(
            Response.objects.filter(
                round=round, status=Response.Status.SUBMITTED
            ).values_list("organization_id", "visibility")
        )
        self._organizations = {}
        self._numbers = None
        self._ties = None

    # Choices and permissions

    def choice(self, organization_id):
        """Return the organization's choice: named, anonymous, staff, unanswered."""
        return self.choices.get(organization_id, UNANSWERED)

    def is_own(self, organization_id):
        return organization_id in self.viewer.organization_ids

    def sees_all_of(self, organization_id):
        """Return whether the viewer may see everything of the organization."""
        return self.viewer.is_staff or self.is_own(organization_id)

    def shares_reports(self, organization_id):
        """Return whether the viewer may see the organization's reports."""
        if self.sees_all_of(organization_id):
            return True
        return self.choice(organization_id) in (Visibility.NAMED, Visibility.ANONYMOUS)

    def names(self, organization_id):
        """Return whether the viewer may see the organization's name."""
        if self.sees_all_of(organization_id):
            return True
        return self.choice(organization_id) in (Visibility.NAMED, UNANSWERED)

    def shows_measures(self, organization_id):
        """Return whether its measures may be shown: they rest on its reports."""
        return self.shares_reports(organization_id) and self.choice(
            organization_id
        ) in (Visibility.NAMED, Visibility.ANONYMOUS)

    # Names and labels

    def organization(self, organization_id):
        """Return (name, sector, services) of an organization."""
        self.load([organization_id])
        return self._organizations[organization_id]

    def load(self, organization_ids):
        """Read the names, sectors and services of organizations in one go."""
        missing = {pk for pk in organization_ids if pk not in self._organizations}
        if not missing:
            return
        rows = Organization.objects.filter(pk__in=missing).values_list(
            "pk", "name", "sector__name"
        )
        services = {}
        through = Organization.services.through.objects.filter(
            organization_id__in=missing
        ).values_list("organization_id", "service__name")
        for pk, service in through:
            services.setdefault(pk, []).append(service)
        for pk, name, sector in rows:
            self._organizations[pk] = (name, sector or "", sorted(services.get(pk, [])))

    def label(self, organization_id):
        """Return the organization as the viewer may call it."""
        name, sector, _services = self.organization(organization_id)
        if self.names(organization_id):
            return name
        number = self.number(organization_id)
        if sector:
            return _("%(sector)s organization %(number)s") % {
                "sector": sector,
                "number": number,
            }
        return _("Organization %(number)s") % {"number": number}

    def services(self, organization_id):
        """Return the services the viewer may see the organization offers."""
        if not self.names(organization_id):
            return []
        return self.organization(organization_id)[2]

    def public_id(self, organization_id):
        """Return the id the viewer's pages use; never a hidden one's key."""
        if self.names(organization_id):
            return str(organization_id)
        return f"a{self.number(organization_id)}"

    def resolve(self, public_id):
        """Return the organization a public id stands for, if the viewer sees it."""
        visible = self.visible_organizations()
        self.prepare_labels(visible)
        for pk in visible:
            if self.public_id(pk) == str(public_id):
                return pk
        return None

    def number(self, organization_id):
        numbers = self._all_numbers()
        if organization_id not in numbers:
            self._assign([organization_id])
            numbers = self._all_numbers()
        return numbers[organization_id]

    def _all_numbers(self):
        if self._numbers is None:
            self._numbers = dict(
                AnonymousLabel.objects.filter(round=self.round).values_list(
                    "organization_id", "number"
                )
            )
        return self._numbers

    def prepare_labels(self, organization_ids):
        """Hand out numbers to every hidden organization of a page at once."""
        hidden = [pk for pk in organization_ids if not self.names(pk)]
        self.load(organization_ids)
        missing = [pk for pk in hidden if pk not in self._all_numbers()]
        if missing:
            self._assign(missing)

    def _assign(self, organization_ids):
        """Number organizations in a keyed-hash order, retrying on a race."""
        key = settings.SECRET_KEY.encode()

        def shuffled(pk):
            message = f"{self.round.pk}:{pk}".encode()
            return hmac.new(key, message, hashlib.sha256).hexdigest()

        for _attempt in range(3):
            taken = self._all_numbers()
            pending = sorted(
                (pk for pk in set(organization_ids) if pk not in taken), key=shuffled
            )
            if not pending:
                return
            start = (
                AnonymousLabel.objects.filter(round=self.round).aggregate(
                    Max("number")
                )["number__max"]
                or 0
            )
            labels = [
                AnonymousLabel(round=self.round, organization_id=pk, number=start + i)
                for i, pk in enumerate(pending, start=1)
            ]
            try:
                with transaction.atomic():
                    AnonymousLabel.objects.bulk_create(labels)
            except IntegrityError:
                logger.info(
                    "round %s: anonymous numbers raced; retrying", self.round.pk
                )
            self._numbers = None
        self._all_numbers()

    # Ties

    def reports(self, about=None):
        """Return the submitted reports of the round the viewer may see.

        With `about`, only the reports made by or about that organization.
        """
        rows = Nomination.objects.filter(
            response__round=self.round,
            response__status=Response.Status.SUBMITTED,
            partner__isnull=False,
        )
        if about is not None:
            rows = rows.filter(Q(respondent_id=about) | Q(partner_id=about))
        rows = rows.values_list(
            "respondent_id",
            "partner_id",
            "collaboration_level",
            "sends_referrals",
            "receives_referrals",
            "data_agreement",
            "wants_to_deepen",
            "data_sharing",
        )
        return [row for row in rows if self.shares_reports(row[0])]

    def ties(self):
        """Return {(a, b): Tie} with a < b, merged from visible reports only."""
        if self._ties is None:
            self._ties = self._merged(self.reports())
        return self._ties

    def ties_of(self, organization_id):
        """Return the visible ties of one organization, as `ties` does."""
        return self._merged(self.reports(about=organization_id))

    @staticmethod
    def _merged(reports):
        ties = {}
        for row in reports:
            source, target, level, sends, receives, agreement, deepen, sharing = row
            a, b = sorted((source, target))
            tie = ties.setdefault((a, b), Tie(a, b))
            tie.reported_by.add(source)
            tie.level = max(tie.level, level, key=LEVELS.index)
            tie.data_agreement = max(
                tie.data_agreement, agreement, key=AGREEMENTS.index
            )
            forward, backward = (sends, receives) if source == a else (receives, sends)
            tie.a_refers_to_b |= forward
            tie.b_refers_to_a |= backward
            tie.data_sharing = max(tie.data_sharing, sharing, key=SHARING.index)
            if deepen:
                tie.wants_to_deepen.add(source)
        return ties

    def neighbours(self):
        """Return {organization: set of partners} over the visible ties."""
        found = {}
        for a, b in self.ties():
            found.setdefault(a, set()).add(b)
            found.setdefault(b, set()).add(a)
        return found

    def visible_organizations(self):
        """Return the organizations the viewer may see at all."""
        shown = {
            pk
            for pk, choice in self.choices.items()
            if choice in (Visibility.NAMED, Visibility.ANONYMOUS)
        }
        shown |= set(self.neighbours())
        shown |= set(self.viewer.organization_ids)
        if self.viewer.is_staff:
            shown |= set(self.choices)
        return shown
