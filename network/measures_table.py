"""The measures table of a snapshot: filters, a whitelisted sort, export rows."""

import csv
import io
from collections import defaultdict

from django import forms
from django.db.models import F, IntegerField, Prefetch
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from network.brokerage import ROLES
from network.exports import safe_cell
from network.models import OrganizationMetrics
from organizations.models import Organization, Sector, Service

POSITIONS = {
    "broker": _("Broker"),
    "well_connected": _("Well connected"),
    "connected": _("Connected"),
    "peripheral": _("Peripheral"),
    "isolate": _("Isolate"),
}
ROLE_LABELS = {
    "coordinator": _("Coordinator"),
    "gatekeeper": _("Gatekeeper"),
    "representative": _("Representative"),
    "consultant": _("Consultant"),
    "liaison": _("Liaison"),
}

# Sort key -> (column heading, expression). Nothing else is ever ordered by.
SORTS = {
    "name": (_("Organization"), F("name")),
    "sector": (_("Sector"), F("organization__sector__name")),
    "community": (_("Community"), F("community")),
    "position": (_("Position"), F("position")),
    "respondent": (_("Answered"), F("responded")),
    "in_degree": (_("Named by"), F("in_degree")),
    "out_degree": (_("Names"), F("out_degree")),
    "betweenness": (_("Betweenness"), F("betweenness")),
    "closeness": (_("Closeness"), F("closeness")),
    "pagerank": (_("PageRank"), F("pagerank")),
    "core": (_("Core"), F("core")),
    "constraint": (_("Constraint"), F("constraint")),
    **{
        f"brokerage_{role}": (
            ROLE_LABELS[role],
            Cast(KeyTextTransform(role, "brokerage"), IntegerField()),
        )
        for role in ROLES
    },
}
DEFAULT_SORT = "-betweenness"
RESPONDENT_CHOICES = [
    ("", _("Everyone")),
    ("yes", _("Answered")),
    ("no", _("Did not answer")),
]


def parse_sort(value):
    """Return (key, descending) for a requested sort; unknown keys fall back."""
    value = (value or "").strip()
    key = value.removeprefix("-")
    if key not in SORTS:
        return parse_sort(DEFAULT_SORT)
    return key, value.startswith("-")


def ordering(key, descending):
    expression = SORTS[key][1]
    first = (
        expression.desc(nulls_last=True)
        if descending
        else expression.asc(nulls_last=True)
    )
    return [first, "name", "pk"]


class TableFilters(forms.Form):
    """What the measures table is narrowed to; every field is optional."""

    q = forms.CharField(label=_("Name contains"), required=False, max_length=100)
    sector = forms.TypedChoiceField(
        label=_("Sector"), required=False, coerce=int, empty_value=None
    )
    service = forms.TypedChoiceField(
        label=_("Service"), required=False, coerce=int, empty_value=None
    )
    community = forms.TypedChoiceField(
        label=_("Community"), required=False, coerce=int, empty_value=None
    )
    position = forms.ChoiceField(
        label=_("Position"),
        required=False,
        choices=[("", _("All positions")), *POSITIONS.items()],
    )
    respondent = forms.ChoiceField(
        label=_("Answered"), required=False, choices=RESPONDENT_CHOICES
    )

    def __init__(self, communities, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Plain lists, so that rendering the choices costs no further query.
        self.fields["sector"].choices = [("", _("All sectors"))] + [
            (str(pk), name) for pk, name in Sector.objects.values_list("pk", "name")
        ]
        self.fields["service"].choices = [("", _("All services"))] + [
            (str(pk), name) for pk, name in Service.objects.values_list("pk", "name")
        ]
        self.fields["community"].choices = [("", _("All communities"))] + [
            (str(c), _("Community %(number)s") % {"number": c + 1}) for c in communities
        ]

    def apply(self, metrics):
        """Return the metrics narrowed by every valid filter."""
        # An invalid field is left out of cleaned_data and so not applied.
        self.is_valid()
        data = self.cleaned_data
        if data.get("q"):
            metrics = metrics.filter(name__icontains=data["q"])
        if data.get("sector") is not None:
            metrics = metrics.filter(organization__sector_id=data["sector"])
        if data.get("service") is not None:
            metrics = metrics.filter(organization__services__id=data["service"])
        if data.get("community") is not None:
            metrics = metrics.filter(community=data["community"])
        if data.get("position"):
            metrics = metrics.filter(position=data["position"])
        if data.get("respondent"):
            metrics = metrics.filter(responded=data["respondent"] == "yes")
        return metrics


def communities(snapshot):
    """Return the community numbers of the snapshot, smallest first."""
    return list(
        OrganizationMetrics.objects.filter(snapshot=snapshot)
        .order_by("community")
        .values_list("community", flat=True)
        .distinct()
    )


def table_rows(metrics):
    """Return a page's metrics with their organizations and services loaded."""
    services = Prefetch(
        "organization__services", queryset=Service.objects.order_by("name")
    )
    return metrics.select_related("organization__sector").prefetch_related(services)


def prepare_row(row):
    """Attach the row's measures as display text; cheaper than template filters."""
    row.roles = brokerage_label(row.brokerage or {})
    row.shown = {
        "betweenness": f"{row.betweenness:.3f}",
        "closeness": f"{row.closeness:.3f}",
        "pagerank": f"{row.pagerank:.4f}",
        "constraint": "—" if row.constraint is None else f"{row.constraint:.2f}",
        "position": POSITIONS.get(row.position, row.position),
    }
    return row


def brokerage_label(brokerage, shown=2):
    """Return the roles an organization plays most, "Liaison 3, Gatekeeper 1"."""
    roles = sorted(
        ((count, role) for role, count in brokerage.items() if count and role in ROLES),
        key=lambda item: (-item[0], ROLES.index(item[1])),
    )
    return ", ".join(f"{ROLE_LABELS[role]} {count}" for count, role in roles[:shown])


EXPORT_COLUMNS = [
    "organization",
    "sector",
    "services",
    "community",
    "position",
    "respondent",
    "on_roster",
    "in_degree",
    "out_degree",
    "betweenness",
    "closeness",
    "pagerank",
    "core",
    "constraint",
    *(f"brokerage_{role}" for role in ROLES),
]


def export_rows(metrics):
    """Yield one list per organization, in EXPORT_COLUMNS order, formula-safe."""
    rows = metrics.values_list(
        "organization_id",
        "name",
        "organization__sector__name",
        "community",
        "position",
        "responded",
        "on_roster",
        "in_degree",
        "out_degree",
        "betweenness",
        "closeness",
        "pagerank",
        "core",
        "constraint",
        "brokerage",
    )
    through = Organization.services.through.objects.filter(
        organization_id__in=metrics.filter(organization__isnull=False).values(
            "organization_id"
        )
    ).values_list("organization_id", "service__name")
    services = defaultdict(list)
    for organization_id, service in through:
        services[organization_id].append(service)

    for organization_id, name, sector, *measures, brokerage in rows.iterator(
        chunk_size=2000
    ):
        community, position, *numbers = measures
        row = [
            name,
            sector or "",
            "; ".join(sorted(services.get(organization_id, ()))),
            community + 1,
            position,
            *numbers,
            *((brokerage or {}).get(role, 0) for role in ROLES),
        ]
        yield [safe_cell(value) for value in row]


def table_csv(metrics):
    """Return the filtered table as UTF-8 CSV bytes and its row count."""
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for row in export_rows(metrics):
        writer.writerow(row)
        count += 1
    return stream.getvalue().encode("utf-8"), count


def table_xlsx(metrics):
    """Return the filtered table as an Excel workbook and its row count."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("organizations")
    sheet.append(EXPORT_COLUMNS)
    count = 0
    for row in export_rows(metrics):
        sheet.append(row)
        count += 1
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue(), count
