"""The measures table: sorting, filters, pages and its CSV and Excel exports."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from network.models import ExportLog, OrganizationMetrics
from organizations.models import Sector, Service
from tests.network.insight_rounds import large_round, small_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def spring():
    return small_round()


def _names(response):
    return [row.name for row in response.context["page"]]


def _table(client, **query):
    return client.get(reverse("network:round_table", args=["spring"]), query)


def _export(client, format, **query):
    url = reverse("network:round_table_export", args=["spring", format])
    return client.get(url, query)


def test_table_lists_every_organization_of_the_snapshot(spring, staff_client):
    response = _table(staff_client, sort="name")

    assert _names(response) == sorted(_names(response))
    assert "Org D" in _names(response)
    assert "GFP" in _names(response)
    assert "Write-in, not on the roster" in response.content.decode()


def test_table_sorts_by_a_measure_in_both_directions(spring, staff_client):
    down = _names(_table(staff_client, sort="-in_degree"))
    up = _names(_table(staff_client, sort="in_degree"))

    assert down[0] == "Org D"
    assert up[-1] == "Org D"


def test_table_sorts_by_a_brokerage_role(spring, staff_client):
    response = _table(staff_client, sort="-brokerage_coordinator")

    assert response.status_code == 200
    assert response.context["sort"] == "-brokerage_coordinator"


def test_an_unknown_sort_key_is_ignored(spring, staff_client):
    response = _table(staff_client, sort="-password; drop table")

    assert response.status_code == 200
    assert response.context["sort"] == "-betweenness"


def test_table_filters_by_sector_service_position_and_answer(spring, staff_client):
    health = Sector.objects.get(name="Health")
    food = Service.objects.get(name="Food")

    assert sorted(_names(_table(staff_client, sector=health.pk))) == ["Org A", "Org B"]
    assert _names(_table(staff_client, service=food.pk)) == ["Org A"]
    assert sorted(_names(_table(staff_client, position="isolate"))) == [
        "Org E",
        "Org F",
    ]
    answered = _names(_table(staff_client, respondent="yes"))
    assert sorted(answered) == ["Org A", "Org B", "Org C", "Org F", "Org G"]


def test_table_filters_by_community(spring, staff_client):
    metrics = OrganizationMetrics.objects.filter(snapshot__round=spring.round)
    community = metrics.get(name="Org G").community

    names = _names(_table(staff_client, community=community))

    assert "Org G" in names and "Org H" in names
    assert "Org A" not in names


def test_an_invalid_filter_is_reported_and_not_applied(spring, staff_client):
    response = _table(staff_client, sector="999999", position="boss")

    assert response.context["form"].errors.keys() == {"sector", "position"}
    assert len(_names(response)) == response.context["page"].paginator.count
    assert "is-invalid" in response.content.decode()


def test_table_pages_hold_fifty_organizations(staff_client):
    large_round(120)
    url = reverse("network:round_table", args=["large"])

    first = staff_client.get(url, {"sort": "name"})
    third = staff_client.get(url, {"sort": "name", "page": 3})

    assert len(first.context["page"]) == 50
    assert len(third.context["page"]) == 20
    assert "?sort=name&amp;page=2" in first.content.decode()
    assert "?sort=name&amp;page=2" in third.content.decode()
    assert "?sort=name&amp;page=4" not in third.content.decode()


def test_table_queries_do_not_grow_with_the_network(
    staff_client, django_assert_max_num_queries
):
    large_round(400)
    url = reverse("network:round_table", args=["large"])

    with django_assert_max_num_queries(12):
        response = staff_client.get(url, {"sort": "-pagerank"})

    assert len(response.context["page"]) == 50


def test_csv_export_holds_the_filtered_rows(spring, staff_client):
    health = Sector.objects.get(name="Health")

    response = _export(staff_client, "csv", sector=health.pk, sort="name")

    assert response["Content-Disposition"].endswith('organizations.csv"')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["organization"] for row in rows] == ["Org A", "Org B"]
    assert rows[0]["services"] == "Food"
    assert rows[0]["respondent"] == "True"


def test_exports_keep_formulas_from_running(spring, staff_client):
    OrganizationMetrics.objects.filter(name="Org A").update(name="=HYPERLINK(1)")

    text = _export(staff_client, "csv", q="HYPERLINK").content.decode()
    workbook = load_workbook(
        io.BytesIO(_export(staff_client, "xlsx", q="HYPERLINK").content)
    )

    assert "'=HYPERLINK(1)" in text
    assert workbook["organizations"]["A2"].value == "'=HYPERLINK(1)"


def test_excel_export_has_a_header_and_a_row_per_organization(spring, staff_client):
    response = _export(staff_client, "xlsx", respondent="no")

    sheet = load_workbook(io.BytesIO(response.content))["organizations"]
    rows = list(sheet.values)
    assert rows[0][0] == "organization"
    assert "betweenness" in rows[0]
    assert (
        len(rows) - 1
        == OrganizationMetrics.objects.filter(
            snapshot__round=spring.round, responded=False
        ).count()
    )


def test_each_export_is_logged(spring, staff_client, staff):
    _export(staff_client, "csv")
    _export(staff_client, "xlsx", position="isolate")

    logs = list(ExportLog.objects.order_by("pk"))
    assert [(log.format, log.variant, log.user) for log in logs] == [
        ("csv", "table", staff),
        ("xlsx", "table", staff),
    ]
    assert logs[1].rows == 2


def test_an_unknown_export_format_is_not_found(spring, staff_client):
    assert _export(staff_client, "pdf").status_code == 404
    assert not ExportLog.objects.exists()


@pytest.mark.parametrize("persona", ["member_client", "outsider_client"])
def test_members_cannot_export_the_table(spring, persona, request):
    client = request.getfixturevalue(persona)

    assert _export(client, "xlsx").status_code == 403
    assert not ExportLog.objects.exists()
