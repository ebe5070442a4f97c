import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from network.services import latest_snapshot
from organizations.models import Organization, Sector, Service
from surveys.models import Nomination, Response, Round
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

ORGANIZATIONS = """name,sector,services,short_name,zip_code
Northside Health Collaborative,Health,Care coordination;Screening,NHC,60601
Riverbend Housing Alliance,Housing,Shelter,RHA,60602
Eastgate Food Bank,Food security,Food distribution,,60603
Westfield Youth Services,,,,
"""
TIES = """source,target,level,referral,data_agreement
Northside Health Collaborative,Riverbend Housing Alliance,collaboration,sends,signed
Riverbend Housing Alliance,Northside Health Collaborative,coordination,both,in progress
Eastgate Food Bank,Northside Health Collaborative,,,
Westfield Youth Services,Eastgate Food Bank,communication,receives,in_progress
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return str(path)


def run_import(tmp_path, organizations=ORGANIZATIONS, ties=TIES, names=None):
    names = names or ("organizations.csv", "ties.csv")
    out = io.StringIO()
    call_command(
        "import_network",
        round="Imported 2024",
        organizations=write(tmp_path, names[0], organizations),
        ties=write(tmp_path, names[1], ties),
        stdout=out,
    )
    return out.getvalue()


def refused(tmp_path, **files):
    before = Organization.objects.count()
    with pytest.raises(CommandError) as error:
        run_import(tmp_path, **files)
    assert Organization.objects.count() == before
    assert not Round.objects.filter(name="Imported 2024").exists()
    assert not Nomination.objects.exists()
    return str(error.value)


def test_import_creates_a_closed_round_with_submitted_nominations(tmp_path):
    output = run_import(tmp_path)

    round = Round.objects.get(name="Imported 2024")
    assert round.status == Round.Status.CLOSED
    assert round.roster.count() == 4
    assert Response.objects.filter(round=round, status="submitted").count() == 4
    tie = Nomination.objects.get(
        respondent__name="Riverbend Housing Alliance",
        partner__name="Northside Health Collaborative",
    )
    assert tie.collaboration_level == "coordination"
    assert tie.sends_referrals and tie.receives_referrals
    assert tie.data_agreement == "in_progress"
    northside = Organization.objects.get(name="Northside Health Collaborative")
    assert northside.short_name == "NHC"
    assert northside.zip_code == "60601"
    assert northside.sector.name == "Health"
    assert {s.name for s in northside.services.all()} >= {"Screening"}
    snapshot = latest_snapshot(round)
    assert snapshot.organizations_count == 4
    assert snapshot.ties_count == 3
    assert "Snapshot v1: 4 organizations, 3 ties" in output


def test_import_lists_the_sectors_and_services_it_created(tmp_path):
    output = run_import(tmp_path)

    assert "New sectors: Housing, Food security\n" in output
    assert "New services: Care coordination, Screening, Shelter, Food distribution" in (
        output
    )
    assert Sector.objects.filter(name="Housing", slug="housing").exists()
    assert Service.objects.filter(name="Food distribution").exists()
    assert not Sector.objects.filter(name="Health").exclude(slug="health").exists()


def test_import_reuses_an_organization_with_the_same_name_key(tmp_path):
    existing = OrganizationFactory(name="RIVERBEND  housing alliance")

    output = run_import(tmp_path)

    assert Organization.objects.filter(name_key=existing.name_key).count() == 1
    assert Response.objects.get(round__name="Imported 2024", organization=existing)
    assert "3 created, 1 reused" in output


def test_import_reads_excel_files(tmp_path):
    def workbook(text):
        book = Workbook()
        sheet = book.active
        for line in text.strip().splitlines():
            sheet.append(line.split(","))
        stream = io.BytesIO()
        book.save(stream)
        return stream.getvalue()

    run_import(
        tmp_path,
        organizations=workbook(ORGANIZATIONS),
        ties=workbook(TIES),
        names=("organizations.xlsx", "ties.xlsx"),
    )

    assert Nomination.objects.filter(response__round__name="Imported 2024").count() == 4


def test_import_refuses_a_tie_to_an_unknown_organization(tmp_path):
    ties = TIES + "Nowhere Clinic,Eastgate Food Bank,,,\n"

    message = refused(tmp_path, ties=ties)

    assert "ties.csv, row 6, column “source”" in message
    assert "“Nowhere Clinic” is not in the organizations file" in message


def test_import_refuses_a_self_tie(tmp_path):
    message = refused(tmp_path, ties=TIES + "Eastgate Food Bank,eastgate food bank\n")

    assert "row 6, column “target”: An organization cannot have a tie to itself" in (
        message
    )


def test_import_refuses_a_duplicate_tie(tmp_path):
    ties = TIES + "Eastgate Food Bank,Northside Health Collaborative,,,\n"

    message = refused(tmp_path, ties=ties)

    assert "row 6, column “target”: The same tie is already on row 4" in message


def test_import_refuses_a_bad_level_referral_and_agreement_all_at_once(tmp_path):
    ties = TIES + "Eastgate Food Bank,Westfield Youth Services,friends,often,maybe\n"

    message = refused(tmp_path, ties=ties)

    assert "row 6, column “level”: “friends” is not one of" in message
    assert "row 6, column “referral”: “often” is not one of" in message
    assert "row 6, column “data_agreement”: “maybe” is not one of" in message


def test_import_refuses_a_file_missing_a_required_column(tmp_path):
    message = refused(tmp_path, ties="source,level\nA,communication\n")

    assert "ties.csv, row 1, column “target”: This required column is missing" in (
        message
    )


def test_import_refuses_a_file_that_is_neither_utf8_nor_cp1252(tmp_path):
    organizations = b"name\nCaf\x81\x8d Resources\n"

    message = refused(tmp_path, organizations=organizations)

    assert "organizations.csv, row 2: The file is neither UTF-8 nor Windows-1252" in (
        message
    )


def test_import_refuses_an_empty_file_and_reports_the_other_file_too(tmp_path):
    message = refused(tmp_path, organizations="", ties="source,level\n")

    assert "organizations.csv: The file is empty" in message
    assert "ties.csv, row 1, column “target”" in message


def test_import_refuses_an_organization_listed_twice(tmp_path):
    organizations = ORGANIZATIONS + "eastgate  FOOD bank,Health,,,\n"

    message = refused(tmp_path, organizations=organizations)

    assert "row 6, column “name”: “eastgate FOOD bank” is already on row 4" in message


def test_import_refuses_a_bad_organization_field(tmp_path):
    organizations = "name,website,latitude\nPilsen Clinic,not a url,95\n"

    message = refused(
        tmp_path,
        organizations=organizations,
        ties="source,target\nPilsen Clinic,Pilsen Clinic\n",
    )

    assert "row 2, column “website”" in message
    assert "row 2, column “latitude”" in message
    assert "itself" in message


def test_import_refuses_sources_that_already_answered_the_round(tmp_path):
    run_import(tmp_path)
    count = Nomination.objects.count()

    with pytest.raises(CommandError) as error:
        run_import(tmp_path)

    assert "already has a response in round “Imported 2024”" in str(error.value)
    assert Nomination.objects.count() == count


def test_import_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="nothing-here.csv"):
        call_command(
            "import_network",
            round="Imported 2024",
            organizations=str(tmp_path / "nothing-here.csv"),
            ties=write(tmp_path, "ties.csv", TIES),
        )
