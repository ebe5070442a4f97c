"""Check an uploaded roster row by row, then create what it describes.

`plan_roster` reads the file and checks every row against the database
without writing anything; `import_roster` saves a plan that has no
problems, all in one transaction.
"""

import logging
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from audit.log import record_event
from audit.models import AuditEvent
from organizations.models import (
    Membership,
    Organization,
    Sector,
    Service,
    SizeBand,
    User,
    normalize_name,
)
from organizations.spreadsheets import (
    FileProblem,
    SpreadsheetError,
    read_table,
    split_list,
)
from surveys.models import RosterEntry

logger = logging.getLogger(__name__)

REQUIRED_COLUMNS = ("name", "sector", "services", "contact_email")
OPTIONAL_COLUMNS = (
    "short_name",
    "aliases",
    "description",
    "website",
    "address",
    "zip_code",
    "latitude",
    "longitude",
    "service_area",
    "size_band",
)
TEXT_LIMITS = {
    "name": 200,
    "short_name": 40,
    "address": 300,
    "zip_code": 10,
    "service_area": 200,
}


@dataclass
class PlannedOrganization:
    """One roster row, checked and ready to save."""

    row: int
    name: str
    sector: Sector | None
    services: list[Service]
    contact_emails: list[str]
    aliases: list[str]
    fields: dict


@dataclass
class RosterPlan:
    """What a roster file would create, or the problems that stop it."""

    file_name: str
    organizations: list[PlannedOrganization] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    existing_emails: set[str] = field(default_factory=set)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def is_valid(self):
        return not self.problems and bool(self.organizations)

    @property
    def contact_emails(self):
        return sorted({e for o in self.organizations for e in o.contact_emails})

    @property
    def new_contact_emails(self):
        return [e for e in self.contact_emails if e not in self.existing_emails]

    @property
    def memberships_count(self):
        return sum(len(o.contact_emails) for o in self.organizations)


@dataclass
class RosterResult:
    organizations: int
    users: int
    memberships: int
    roster_entries: int


def plan_roster(file_name, content):
    """Return a `RosterPlan` for an uploaded file; write nothing."""
    plan = RosterPlan(file_name=file_name)
    try:
        table = read_table(file_name, content, required=REQUIRED_COLUMNS)
    except SpreadsheetError as error:
        plan.problems = error.problems
        return plan

    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    plan.ignored_columns = [c for c in table.columns if c not in known]
    checker = _RowChecker(file_name)
    for number, values in table.rows:
        planned, problems = checker.check(number, values)
        plan.problems.extend(problems)
        if planned is not None:
            plan.organizations.append(planned)

    emails = plan.contact_emails
    plan.existing_emails = set(
        User.objects.filter(email__in=emails).values_list("email", flat=True)
    )
    return plan


@transaction.atomic
def import_roster(plan, round=None, *, actor=None):
    """Save every organization, contact and membership of a valid plan.

    The import goes to the audit log as done by `actor`.
    """
    if not plan.is_valid:
        raise ValueError("Only a roster plan without problems can be imported.")

    users = {}
    new_users = 0
    for email in plan.contact_emails:
        user = User.objects.filter(email=email).first()
        if user is None:
            # Contacts sign in later through their invitation links.
            user = User(email=email)
            user.set_unusable_password()
            user.save()
            new_users += 1
        users[email] = user

    memberships = 0
    for planned in plan.organizations:
        organization = Organization(name=planned.name, **planned.fields)
        for alias in planned.aliases:
            organization.add_alias(alias)
        organization.sector = planned.sector
        organization.save()
        organization.services.set(planned.services)
        for email in planned.contact_emails:
            Membership.objects.create(
                user=users[email],
                organization=organization,
                role=Membership.Role.CONTACT,
            )
            memberships += 1
        if round is not None:
            RosterEntry.objects.create(round=round, organization=organization)

    result = RosterResult(
        organizations=len(plan.organizations),
        users=new_users,
        memberships=memberships,
        roster_entries=len(plan.organizations) if round is not None else 0,
    )
    record_event(
        AuditEvent.Action.ROSTER_IMPORT,
        f"Imported {plan.file_name}: {result.organizations} organizations, "
        f"{result.memberships} contacts, {result.users} new people",
        actor=actor,
        round=round,
        details={
            "file": plan.file_name,
            "organizations": result.organizations,
            "users": result.users,
            "memberships": result.memberships,
            "roster_entries": result.roster_entries,
        },
    )
    logger.info(
        "imported roster: %d organizations, %d contacts",
        result.organizations,
        result.memberships,
    )
    return result


class _RowChecker:
    """Check rows one at a time, remembering names seen earlier in the file."""

    def __init__(self, file_name):
        self.file_name = file_name
        self.sectors = _taxonomy_lookup(Sector.objects.all())
        self.services = _taxonomy_lookup(Service.objects.all())
        self.sector_names = ", ".join(Sector.objects.values_list("name", flat=True))
        self.service_names = ", ".join(Service.objects.values_list("name", flat=True))
        self.existing = _existing_names()
        self.seen = {}

    def check(self, number, values):
        self.number = number
        self.problems = []

        name = values.get("name", "")
        if not name:
            self._problem("name", _("The name is missing."))
        else:
            self._check_name(name)

        sector = self._sector(values.get("sector", ""))
        services = self._services(values.get("services", ""))
        emails = self._emails(values.get("contact_email", ""))
        fields = self._fields(values)

        if self.problems:
            return None, self.problems
        planned = PlannedOrganization(
            row=number,
            name=name,
            sector=sector,
            services=services,
            contact_emails=emails,
            aliases=split_list(values.get("aliases", "")),
            fields=fields,
        )
        return planned, []

    def _problem(self, column, message):
        problem = FileProblem(message, self.number, column, self.file_name)
        self.problems.append(problem)

    def _check_name(self, name):
        key = normalize_name(name)
        if key in self.seen:
            message = _("“%(name)s” is on row %(first)d and row %(row)d.") % {
                "name": name,
                "first": self.seen[key],
                "row": self.number,
            }
            self._problem("name", message)
        else:
            self.seen[key] = self.number
        existing = self.existing.get(key)
        if existing is None:
            return
        if normalize_name(existing) == key:
            message = _("An organization named “%(name)s” already exists.")
        else:
            message = _("This is another name of the existing “%(name)s”.")
        self._problem("name", message % {"name": existing})

    def _sector(self, text):
        if not text:
            return None
        sector = self.sectors.get(normalize_name(text))
        if sector is None:
            message = _("Unknown sector “%(value)s”. Known sectors: %(known)s.") % {
                "value": text,
                "known": self.sector_names,
            }
            self._problem("sector", message)
        return sector

    def _services(self, text):
        services = []
        for item in split_list(text):
            service = self.services.get(normalize_name(item))
            if service is None:
                message = _(
                    "Unknown service “%(value)s”. Known services: %(known)s."
                ) % {"value": item, "known": self.service_names}
                self._problem("services", message)
            elif service not in services:
                services.append(service)
        return services

    def _emails(self, text):
        emails = []
        for item in split_list(text):
            email = item.lower()
            try:
                validate_email(email)
            except ValidationError:
                message = _("“%(value)s” is not an e-mail address.") % {"value": item}
                self._problem("contact_email", message)
                continue
            if email not in emails:
                emails.append(email)
        return emails

    def _fields(self, values):
        fields = {}
        for column, limit in TEXT_LIMITS.items():
            text = values.get(column, "")
            if len(text) > limit:
                message = _("Use at most %(limit)d characters.") % {"limit": limit}
                self._problem(column, message)
            elif column != "name":
                fields[column] = text
        fields["description"] = values.get("description", "")
        fields["website"] = self._website(values.get("website", ""))
        fields["size_band"] = self._size_band(values.get("size_band", ""))
        fields["latitude"] = self._coordinate(values, "latitude", 90)
        fields["longitude"] = self._coordinate(values, "longitude", 180)
        has_latitude = bool(values.get("latitude"))
        if has_latitude != bool(values.get("longitude")):
            message = _("Give both latitude and longitude, or neither.")
            self._problem("latitude" if has_latitude else "longitude", message)
        return fields

    def _website(self, text):
        if not text:
            return ""
        try:
            return forms.URLField(max_length=200, assume_scheme="https").clean(text)
        except ValidationError:
            message = _("“%(value)s” is not a web address.") % {"value": text}
            self._problem("website", message)
            return ""

    def _size_band(self, text):
        if not text:
            return ""
        key = normalize_name(text)
        for value, label in SizeBand.choices:
            if key in (value, normalize_name(str(label))):
                return value
        message = _("Unknown size “%(value)s”. Use one of: %(known)s.") % {
            "value": text,
            "known": ", ".join(SizeBand.values),
        }
        self._problem("size_band", message)
        return ""

    def _coordinate(self, values, column, limit):
        text = values.get(column, "")
        if not text:
            return None
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or abs(number) > limit:
            message = _(
                "“%(value)s” is not a number between -%(limit)d and %(limit)d."
            ) % {"value": text, "limit": limit}
            self._problem(column, message)
            return None
        return number.quantize(Decimal("0.000001"))


def _taxonomy_lookup(queryset):
    lookup = {}
    for item in queryset:
        lookup[normalize_name(item.slug)] = item
        lookup[normalize_name(item.name)] = item
    return lookup


def _existing_names():
    """Map every known name, short name and alias key to its organization."""
    names = {}
    rows = Organization.objects.values_list("name", "short_name", "aliases")
    for name, short_name, aliases in rows:
        for other in [short_name, *(aliases or [])]:
            if other:
                names.setdefault(normalize_name(other), name)
    for name in Organization.objects.values_list("name", flat=True):
        names[normalize_name(name)] = name
    return names
