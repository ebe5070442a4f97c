"""The team report: print-ready HTML and a PDF with only what may be seen."""

import pytest
from django.urls import reverse

from tests.participants.test_visibility_matrix import client_for, pdf_text
from tests.participants.world import NAMES, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def test_pdf_report_names_partners_the_organization_may_see(world):
    client = client_for(world.members["echo"])
    url = reverse("participants:team_report_pdf", args=[world.organizations["echo"].pk])

    response = client.get(url, {"round": world.round.slug})

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert NAMES["echo"] in text
    assert NAMES["alpha"] in text
    assert NAMES["charlie"] not in text


def test_html_report_holds_the_map_and_the_partners(world):
    client = client_for(world.members["alpha"])
    url = reverse("participants:team_report", args=[world.organizations["alpha"].pk])

    page = client.get(url, {"round": world.round.slug}).content.decode()

    assert "<svg" in page
    assert NAMES["delta"] in page
    assert "@media print" not in page  # The print rules live in the stylesheet.
