"""Import an existing network from an organizations file and a ties file.

Each tie becomes a submitted nomination by its source organization, so an
imported round is built and shown like a surveyed one. Every problem in
either file is collected first; if there is any, nothing is imported.
"""

import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from network.models import RoundNetworkState
from organizations.models import Organization, Sector, Service, normalize_name
from organizations.spreadsheets import (
    FileProblem,
    SpreadsheetError,
    read_table,
    split_list,
)
from surveys.models import (
    CollaborationLevel,
    DataAgreement,
    Nomination,
    Response,
    RosterEntry,
    Round,
)

logger = logging.getLogger(__name__)

MAX_ROWS = 500_000
# Analysts bring whole regions from the command line; allow far more than
# a roster uploaded through the admin.
MAX_BYTES = 200 * 1024 * 1024
BATCH_SIZE = 2000
# Organization columns set by the importer itself or never imported.
SKIPPED_FIELDS = {"id", "name", "name_key", "aliases", "created_at", "updated_at"}
COORDINATE_LIMITS = {"latitude": 90, "longitude": 180}
LEVELS = {value: value for value in CollaborationLevel.values}
REFERRALS = {
    "": (False, False),
    "none": (False, False),
    "sends": (True, False),
    "receives": (False, True),
    "both": (True, True),
}
AGREEMENTS = {
    "": DataAgreement.NONE,
    "none": DataAgreement.NONE,
    "in progress": DataAgreement.IN_PROGRESS,
    "in_progress": DataAgreement.IN_PROGRESS,
    "signed": DataAgreement.SIGNED,
}


class NetworkImportError(Exception):
    def __init__(self, problems):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = list(problems)


@dataclass
class ImportReport:
    """What an import created and reused."""

    round: Round
    round_created: bool = False
    organizations_created: int = 0
    organizations_reused: int = 0
    ties: int = 0
    responses: int = 0
    sectors_created: list[str] = field(default_factory=list)
    services_created: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


@dataclass
class _Organization:
    row: int
    name: str
    sector: str = ""
    services: list[str] = field(default_factory=list)
    fields: dict = field(default_factory=dict)


def organization_columns():
    """Return the Organization fields a file may set, by name."""
    return {
        f.name: f
        for f in Organization._meta.concrete_fields
        if f.editable and not f.is_relation and f.name not in SKIPPED_FIELDS
    }


def import_network(round_name, organizations_file, ties_file):
    """Import the two files, given as (name, bytes), into the named round.

    Return an `ImportReport`; raise `NetworkImportError` with every problem
    found, in which case nothing has been stored.
    """
    problems = []
    tables = []
    for (name, content), required in [
        (organizations_file, ("name",)),
        (ties_file, ("source", "target")),
    ]:
        try:
            tables.append(
                read_table(
                    name, content, required, max_rows=MAX_ROWS, max_bytes=MAX_BYTES
                )
            )
        except SpreadsheetError as error:
            problems += error.problems
            tables.append(None)
    if problems:
        raise NetworkImportError(problems)

    organizations_table, ties_table = tables
    organizations, ignored = _read_organizations(organizations_table, problems)
    ties = _read_ties(ties_table, organizations, problems)
    round = Round.objects.filter(name=round_name.strip()).first()
    if round is not None:
        _check_no_responses(round, ties_table.name, ties, organizations, problems)
    if problems:
        raise NetworkImportError(problems)

    with transaction.atomic():
        report = _store(round_name.strip(), round, organizations, ties)
    report.ignored_columns = ignored
    logger.info(
        "imported round %s: %d organizations, %d ties",
        report.round.pk,
        len(organizations),
        report.ties,
    )
    return report


def _read_organizations(table, problems):
    columns = organization_columns()
    ignored = [
        c
        for c in table.columns
        if c not in columns and c not in {"name", "sector", "services"}
    ]
    organizations = {}
    for number, values in table.rows:
        name = values.get("name", "")
        if not name:
            problems.append(
                FileProblem(_("The name is empty."), number, "name", table.name)
            )
            continue
        key = normalize_name(name)
        if len(name) > Organization._meta.get_field("name").max_length:
            message = _("The name is longer than 200 characters.")
            problems.append(FileProblem(message, number, "name", table.name))
            continue
        if key in organizations:
            message = _("“%(name)s” is already on row %(row)d.") % {
                "name": name,
                "row": organizations[key].row,
            }
            problems.append(FileProblem(message, number, "name", table.name))
            continue
        organization = _Organization(
            row=number,
            name=name,
            sector=values.get("sector", ""),
            services=split_list(values.get("services", "")),
        )
        for column, model_field in columns.items():
            text = values.get(column, "")
            if not text:
                continue
            try:
                value = model_field.clean(text, None)
            except ValidationError as error:
                message = " ".join(error.messages)
                problems.append(FileProblem(message, number, column, table.name))
                continue
            if column in COORDINATE_LIMITS and abs(value) > COORDINATE_LIMITS[column]:
                message = _("The value must be between -%(limit)d and %(limit)d.") % {
                    "limit": COORDINATE_LIMITS[column]
                }
                problems.append(FileProblem(message, number, column, table.name))
            organization.fields[column] = value
        organizations[key] = organization
    return organizations, ignored


def _choice(values, column, choices, number, table, problems):
    text = values.get(column, "")
    key = " ".join(text.replace("-", " ").split()).casefold() if text else ""
    if key in choices:
        return choices[key]
    if key.replace(" ", "_") in choices:
        return choices[key.replace(" ", "_")]
    allowed = ", ".join(sorted(c for c in choices if c))
    message = _("“%(value)s” is not one of: %(allowed)s.") % {
        "value": text,
        "allowed": allowed,
    }
    problems.append(FileProblem(message, number, column, table.name))
    return None


def _read_ties(table, organizations, problems):
    ties = {}
    for number, values in table.rows:
        ends = []
        for column in ("source", "target"):
            name = values.get(column, "")
            key = normalize_name(name)
            if not name:
                message = _("The organization is empty.")
            elif key not in organizations:
                message = _("“%(name)s” is not in the organizations file.") % {
                    "name": name
                }
            else:
                ends.append(key)
                continue
            problems.append(FileProblem(message, number, column, table.name))

        level = _choice(
            {"level": values.get("level") or "communication"},
            "level",
            LEVELS,
            number,
            table,
            problems,
        )
        referral = _choice(values, "referral", REFERRALS, number, table, problems)
        agreement = _choice(
            values, "data_agreement", AGREEMENTS, number, table, problems
        )
        if len(ends) != 2:
            continue
        source, target = ends
        if source == target:
            message = _("An organization cannot have a tie to itself.")
            problems.append(FileProblem(message, number, "target", table.name))
        elif (source, target) in ties:
            message = _("The same tie is already on row %(row)d.") % {
                "row": ties[source, target]["row"]
            }
            problems.append(FileProblem(message, number, "target", table.name))
        elif None not in (level, referral, agreement):
            ties[source, target] = {
                "row": number,
                "collaboration_level": level,
                "sends_referrals": referral[0],
                "receives_referrals": referral[1],
                "data_agreement": agreement,
            }
    return ties


def _check_no_responses(round, file, ties, organizations, problems):
    sources = {source for source, _target in ties}
    taken = set(
        Response.objects.filter(
            round=round, organization__name_key__in=sources
        ).values_list("organization__name_key", flat=True)
    )
    for key in sorted(taken, key=lambda k: organizations[k].row):
        message = _(
            "“%(name)s” already has a response in round “%(round)s”; "
            "remove it before importing."
        ) % {"name": organizations[key].name, "round": round.name}
        problems.append(FileProblem(message, None, "source", file))


def _unique_slug(model, text):
    base = slugify(text)[:90] or "item"
    slug, counter = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _taxonomy(model, names, created):
    """Return {name key: instance} for `names`, creating the unknown ones."""
    known = {}
    for item in model.objects.all():
        known[normalize_name(item.name)] = item
        known.setdefault(normalize_name(item.slug), item)
    for name in names:
        key = normalize_name(name)
        if key and key not in known:
            known[key] = model.objects.create(name=name, slug=_unique_slug(model, name))
            created.append(name)
    return known


def _store(round_name, round, organizations, ties):
    report = ImportReport(round=round)
    if round is None:
        round = Round.objects.create(
            name=round_name,
            slug=_unique_slug(Round, round_name),
            status=Round.Status.CLOSED,
        )
        report.round, report.round_created = round, True

    sectors = _taxonomy(
        Sector, [o.sector for o in organizations.values()], report.sectors_created
    )
    services = _taxonomy(
        Service,
        [s for o in organizations.values() for s in o.services],
        report.services_created,
    )

    existing = Organization.objects.in_bulk(list(organizations), field_name="name_key")
    report.organizations_reused = len(existing)
    new = [
        Organization(
            name=o.name,
            name_key=key,
            sector=sectors.get(normalize_name(o.sector)),
            **o.fields,
        )
        for key, o in organizations.items()
        if key not in existing
    ]
    Organization.objects.bulk_create(new, batch_size=BATCH_SIZE)
    report.organizations_created = len(new)
    ids = dict(
        Organization.objects.filter(name_key__in=list(organizations)).values_list(
            "name_key", "pk"
        )
    )
    Through = Organization.services.through
    Through.objects.bulk_create(
        [
            Through(organization_id=ids[o_key], service=services[normalize_name(s)])
            for o_key, o in organizations.items()
            if o_key not in existing
            for s in o.services
        ],
        batch_size=BATCH_SIZE,
        ignore_conflicts=True,
    )
    RosterEntry.objects.bulk_create(
        [RosterEntry(round=round, organization_id=pk) for pk in ids.values()],
        batch_size=BATCH_SIZE,
        ignore_conflicts=True,
    )

    now = timezone.now()
    sources = sorted({source for source, _target in ties}, key=ids.get)
    Response.objects.bulk_create(
        [
            Response(
                round=round,
                organization_id=ids[key],
                status=Response.Status.SUBMITTED,
                submitted_at=now,
            )
            for key in sources
        ],
        batch_size=BATCH_SIZE,
    )
    responses = dict(
        Response.objects.filter(round=round).values_list("organization_id", "pk")
    )
    Nomination.objects.bulk_create(
        [
            Nomination(
                response_id=responses[ids[source]],
                respondent_id=ids[source],
                partner_id=ids[target],
                **{k: v for k, v in tie.items() if k != "row"},
            )
            for (source, target), tie in ties.items()
        ],
        batch_size=BATCH_SIZE,
    )
    report.ties, report.responses = len(ties), len(sources)

    RoundNetworkState.objects.get_or_create(round=round)
    RoundNetworkState.objects.filter(round=round).update(
        generation=models.F("generation") + max(1, len(sources))
    )
    return report
