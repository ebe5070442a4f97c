"""Anonymized exports: pseudonyms instead of names, and nothing that names."""

import csv
import doctest
import io
import json
import random

import networkx as nx
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from network import anonymize
from network.anonymize import anonymize_snapshot, draw_pseudonyms
from network.exports import FORMATS, export_snapshot
from network.services import latest_snapshot, rebuild_round
from organizations.models import Organization
from surveys.models import Nomination
from tests.factories import MembershipFactory, OrganizationFactory, PracticeFactory
from tests.network.builders import roster_round, submit

pytestmark = pytest.mark.django_db

PRACTICE = "We publish a quarterly dashboard with the county's food bank."


@pytest.fixture
def round():
    round, (a, b, c) = roster_round(3, name="Private 2026")
    outside = OrganizationFactory(name="Saint Brigid's Night Shelter")
    MembershipFactory(organization=a, user__email="director@alder.example")
    response = submit(round, a, [b, outside], collaboration_level="collaboration")
    PracticeFactory(response=response, text=PRACTICE)
    submit(round, b, [a], sends_referrals=True, data_agreement="signed")
    submit(round, c, [a], write_ins=["Hilltop Food Pantry"])
    rebuild_round(round.pk, force=True)
    return round


def secrets_of(round):
    """Return every text that names someone in the round, lower-cased."""
    names = list(Organization.objects.values_list("name", flat=True))
    names += list(
        Nomination.objects.exclude(write_in_name="").values_list(
            "write_in_name", "write_in_key"
        )
    )
    flat = [
        part
        for name in names
        for part in (name if isinstance(name, tuple) else (name,))
    ]
    return [text.lower() for text in flat + ["director@alder.example", PRACTICE]]


def anonymized_text(snapshot, format):
    content = export_snapshot(anonymize_snapshot(snapshot), format)
    if format != "xlsx":
        return content.decode("utf-8")
    workbook = load_workbook(io.BytesIO(content))
    cells = [
        str(value)
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    return "\n".join(cells)


@pytest.mark.parametrize("format", FORMATS)
def test_no_name_write_in_email_or_practice_reaches_an_anonymized_file(round, format):
    snapshot = latest_snapshot(round)
    full = export_snapshot(snapshot, "json").decode().lower()
    assert "hilltop food pantry" in full, "the full export should name them"

    text = anonymized_text(snapshot, format).lower()

    for secret in secrets_of(round):
        assert secret not in text, f"{secret!r} leaked into the {format} export"
    assert "org " in text


def test_the_downloaded_anonymized_file_names_nobody(round, staff_client):
    url = reverse(
        "network:round_export_download", args=[round.slug, "anonymized", "gexf"]
    )

    text = staff_client.get(url).content.decode().lower()

    for secret in secrets_of(round):
        assert secret not in text


def test_ids_services_and_map_positions_are_left_out(round):
    snapshot = latest_snapshot(round)
    document = json.loads(export_snapshot(anonymize_snapshot(snapshot), "json"))

    nodes = snapshot.read_payload()["nodes"]
    real_ids = {str(node["id"]) for node in nodes}
    for node in document["nodes"]:
        assert node["id"] == node["name"]
        assert node["id"].startswith("Org ")
        assert str(node["id"]) not in real_ids
        assert "services" not in node and "x" not in node and "y" not in node
    assert sorted(n["sector"] or "" for n in document["nodes"]) == sorted(
        n["sector"] or "" for n in nodes
    )


def test_pseudonyms_are_consistent_within_one_export(round):
    snapshot = latest_snapshot(round)
    content = export_snapshot(anonymize_snapshot(snapshot), "xlsx")
    workbook = load_workbook(io.BytesIO(content))

    organizations = [
        r[0] for r in workbook["organizations"].iter_rows(values_only=True)
    ]
    ties = list(workbook["ties"].iter_rows(values_only=True))[1:]

    pseudonyms = set(organizations[1:])
    assert len(pseudonyms) == snapshot.organizations_count
    assert {tie[0] for tie in ties} | {tie[1] for tie in ties} <= pseudonyms
    assert all(set(tie[3].split("; ")) <= pseudonyms for tie in ties)


def test_the_anonymized_network_has_the_same_shape_and_measures(round):
    snapshot = latest_snapshot(round)
    original = nx.read_graphml(io.BytesIO(export_snapshot(snapshot, "graphml")))
    hidden = nx.read_graphml(
        io.BytesIO(export_snapshot(anonymize_snapshot(snapshot), "graphml"))
    )

    assert nx.is_isomorphic(original, hidden)
    assert sorted(d["betweenness"] for _, d in hidden.nodes(data=True)) == sorted(
        d["betweenness"] for _, d in original.nodes(data=True)
    )
    assert sorted(d["sector"] for _, d in hidden.nodes(data=True) if "sector" in d) == (
        sorted(d["sector"] for _, d in original.nodes(data=True) if "sector" in d)
    )
    levels = sorted(d["level"] for _, _, d in hidden.edges(data=True))
    assert levels == sorted(d["level"] for _, _, d in original.edges(data=True))


def test_pseudonyms_differ_between_two_exports(round):
    snapshot = latest_snapshot(round)

    first = anonymize_snapshot(snapshot).pseudonyms
    second = anonymize_snapshot(snapshot).pseudonyms

    assert set(first) == set(second)
    assert first != second
    assert set(first.values()) != set(second.values())


def test_two_downloads_share_no_pseudonym_list(round, staff_client):
    url = reverse(
        "network:round_export_download", args=[round.slug, "anonymized", "csv"]
    )

    def pseudonyms():
        text = staff_client.get(url).content.decode()
        return {row["organization"] for row in csv.DictReader(io.StringIO(text))}

    assert pseudonyms() != pseudonyms()


def test_pseudonyms_are_drawn_without_repeats_in_a_wide_space():
    names = draw_pseudonyms(range(3000), random.Random(7))

    assert len(set(names.values())) == 3000
    assert all(len(name) == len("Org 00000") for name in names.values())


def test_the_order_of_organizations_does_not_follow_their_ids(round):
    snapshot = latest_snapshot(round)
    hidden = anonymize_snapshot(snapshot, random.Random(3))

    ids = [node["id"] for node in hidden.read_payload()["nodes"]]

    assert ids == sorted(ids)


def test_the_examples_in_the_docstrings_hold():
    assert doctest.testmod(anonymize).failed == 0
