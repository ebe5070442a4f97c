"""Staff exports of a round: downloads, their log, and the log's page."""

import csv
import io
import json

import networkx as nx
import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from network.audit import record_export
from network.exports import FORMATS
from network.models import ExportLog
from tests.factories import UserFactory
from tests.network.round_pairs import make_round, round_pair

pytestmark = pytest.mark.django_db

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "graphml": "application/xml",
    "gexf": "application/xml",
    "json": "application/json",
}


@pytest.fixture
def round():
    return round_pair().later


def page_url(round):
    return reverse("network:round_exports", args=[round.slug])


def download_url(round, variant, format):
    return reverse("network:round_export_download", args=[round.slug, variant, format])


def all_urls(round):
    urls = [page_url(round)]
    for variant in ("full", "anonymized"):
        urls += [download_url(round, variant, format) for format in FORMATS]
    return urls


def test_anonymous_visitors_are_sent_to_sign_in(round, anonymous_client):
    for url in all_urls(round):
        response = anonymous_client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert not ExportLog.objects.exists()


def test_members_and_outsiders_are_refused(round, member_client, outsider_client):
    for client in (member_client, outsider_client):
        for url in all_urls(round):
            assert client.get(url).status_code == 403
    assert not ExportLog.objects.exists()


def test_staff_open_the_exports_page(round, staff_client):
    response = staff_client.get(page_url(round))

    assert response.status_code == 200
    text = response.content.decode()
    for format in FORMATS:
        assert download_url(round, "full", format) in text
        assert download_url(round, "anonymized", format) in text


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("variant", ["full", "anonymized"])
def test_each_format_downloads_with_its_type_and_is_logged(
    round, staff, staff_client, format, variant
):
    response = staff_client.get(download_url(round, variant, format))

    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPES[format]
    day = timezone.localdate().isoformat()
    suffix = "-anonymized" if variant == "anonymized" else ""
    expected = f'attachment; filename="edn-compare-2026-{day}{suffix}.{format}"'
    assert response["Content-Disposition"] == expected
    assert "no-cache" in response["Cache-Control"]
    assert len(response.content) > 0
    (entry,) = ExportLog.objects.all()
    assert entry.user == staff
    assert entry.user_email == staff.email
    assert entry.round == round
    assert entry.round_name == "Compare 2026"
    assert (entry.format, entry.variant) == (format, variant)
    assert entry.rows == 4
    assert entry.snapshot_version == 1


def test_the_full_downloads_hold_the_same_as_export_network(round, staff_client):
    csv_text = staff_client.get(download_url(round, "full", "csv")).content.decode()
    workbook = load_workbook(
        io.BytesIO(staff_client.get(download_url(round, "full", "xlsx")).content)
    )
    graphml = nx.read_graphml(
        io.BytesIO(staff_client.get(download_url(round, "full", "graphml")).content)
    )
    document = json.loads(staff_client.get(download_url(round, "full", "json")).content)

    names = {row["organization"] for row in csv.DictReader(io.StringIO(csv_text))}
    assert names == {"Alder Clinic", "Birch Housing", "Cedar School", "Dogwood Pantry"}
    assert workbook.sheetnames == ["organizations", "ties", "figures"]
    assert graphml.number_of_edges() == 3
    assert document["graph"]["round"] == "Compare 2026"
    assert ExportLog.objects.count() == 4


def test_an_unknown_format_or_variant_is_not_found_and_not_logged(round, staff_client):
    assert staff_client.get(download_url(round, "full", "pdf")).status_code == 404
    assert staff_client.get(download_url(round, "secret", "csv")).status_code == 404
    assert staff_client.get(download_url(round, "table", "csv")).status_code == 404
    assert not ExportLog.objects.exists()


def test_a_round_without_snapshot_has_nothing_to_download(staff_client):
    empty = make_round("Empty 2026", "empty-2026", 7, [])

    page = staff_client.get(page_url(empty))
    response = staff_client.get(download_url(empty, "full", "csv"))

    assert "Nothing to export yet" in page.content.decode()
    assert response.status_code == 302
    assert response.url == page_url(empty)
    (message,) = get_messages(response.wsgi_request)
    assert "has no network snapshot yet" in str(message)
    assert not ExportLog.objects.exists()


def test_the_page_lists_recent_exports_with_who_and_what(round, staff_client):
    analyst = UserFactory(email="analyst@edn.example", is_staff=True)
    record_export(analyst, round, "gexf", "anonymized", 4)
    record_export(analyst, round, "csv", "table", 2)

    response = staff_client.get(page_url(round))

    text = response.content.decode()
    assert "analyst@edn.example" in text
    assert "GEXF" in text and "Anonymized" in text and "Measures table" in text
    assert [e.format for e in response.context["recent"]] == ["csv", "gexf"]
    assert response.context["exports_count"] == 2


def test_the_page_shows_only_this_rounds_exports(round, staff_client):
    other = make_round("Other 2026", "other-2026", 3, [])
    record_export(UserFactory(email="elsewhere@edn.example"), other, "csv", "full", 1)

    text = staff_client.get(page_url(round)).content.decode()

    assert "elsewhere@edn.example" not in text
    assert "Nobody has exported this round yet." in text


def test_the_page_queries_do_not_grow_with_the_log(round, staff, staff_client):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(page_url(round)).status_code == 200
        return len(queries)

    record_export(staff, round, "csv", "full", 4)
    few = count()
    for _ in range(40):
        record_export(staff, round, "json", "anonymized", 4)
    many = count()

    assert many == few
    assert few <= 8


def test_the_log_keeps_who_and_what_after_the_user_is_deleted(round):
    leaver = UserFactory(email="leaver@edn.example", is_staff=True)
    entry = record_export(leaver, round, "csv", "full", 4)

    leaver.delete()
    entry.refresh_from_db()

    assert entry.user is None
    assert entry.user_email == "leaver@edn.example"


def test_record_export_refuses_an_unknown_variant(round, staff):
    with pytest.raises(ValueError, match="unknown export variant"):
        record_export(staff, round, "csv", "everything", 4)


def test_staff_read_the_log_in_the_admin_but_cannot_change_it(
    round, staff, staff_client
):
    entry = record_export(staff, round, "csv", "full", 4)

    listing = staff_client.get(reverse("admin:network_exportlog_changelist"))
    detail = staff_client.get(
        reverse("admin:network_exportlog_change", args=[entry.pk])
    )
    adding = staff_client.get(reverse("admin:network_exportlog_add"))
    deleting = staff_client.post(
        reverse("admin:network_exportlog_delete", args=[entry.pk]), {"post": "yes"}
    )

    assert listing.status_code == 200
    assert "staff@edn.example" in listing.content.decode()
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content
    assert adding.status_code == 403
    assert deleting.status_code == 403
    assert ExportLog.objects.filter(pk=entry.pk).exists()
