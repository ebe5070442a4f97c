import pytest

from network.colours import sector_colours
from network.map_payload import build_map_payload
from network.services import rebuild_round
from organizations.models import Sector
from participants.drawing import legend
from tests.factories import OrganizationFactory
from tests.network.builders import roster_round, submit

pytestmark = pytest.mark.django_db


def test_a_sector_keeps_its_colour_whichever_sectors_a_round_has():
    health, business, education = Sector.objects.order_by("order")[:3]
    round_, (a, b) = roster_round(2, name="2032", slug="2032")
    a.sector, b.sector = health, education
    a.save()
    b.save()
    submit(round_, a, [b])

    snapshot = rebuild_round(round_.pk, force=True).snapshot
    colours = {
        row["label"]: row["colour"]
        for row in build_map_payload(snapshot)["legend"]["sector"]
    }

    assert colours == {
        "Health": sector_colours()["Health"],
        "Education": sector_colours()["Education"],
    }
    assert colours["Education"] == sector_colours()[education.name]
    assert sector_colours()[business.name] not in colours.values()


def test_the_team_report_uses_the_maps_sector_colours():
    sector = Sector.objects.get(name="Philanthropy")
    organization = OrganizationFactory(sector=sector)

    nodes = [{"sector": organization.sector.name, "ring": 1}]

    assert legend(nodes) == [("Philanthropy", sector_colours()["Philanthropy"])]
