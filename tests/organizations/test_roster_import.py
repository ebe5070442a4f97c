import csv
import io
import logging
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from organizations.admin import PENDING_ROSTER
from organizations.models import Membership, Organization, User
from surveys.models import RosterEntry
from tests.factories import OrganizationFactory, RoundFactory, UserFactory

IMPORT_URL = reverse("admin:organizations_organization_import")
HEADER = ["name", "sector", "services", "contact_email"]
GOOD_ROWS = [
    {
        "name": "Lakeside Food Bank",
        "sector": "social & community service",
        "services": "Food; legal-aid",
        "contact_email": "Ana@Lakeside.example",
        "short_name": "LFB",
        "aliases": "Lakeside Pantry; The Food Bank",
        "website": "lakeside.example",
        "latitude": "41.8781136",
        "longitude": "-87.6297982",
        "size_band": "Small",
        "zip_code": "60601",
    },
    {
        "name": "Eastside Clinic",
        "sector": "health",
        "services": "Health service",
        "contact_email": "front@eastside.example",
    },
]
ALL_COLUMNS = [*HEADER, "short_name", "aliases", "website", "latitude"] + [
    "longitude",
    "size_band",
    "zip_code",
]


def csv_upload(rows, columns=ALL_COLUMNS, name="roster.csv"):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"))


def xlsx_upload(rows, columns=ALL_COLUMNS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(column) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("roster.xlsx", buffer.getvalue())


def counts():
    return (
        Organization.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        RosterEntry.objects.count(),
    )


def preview(client, upload, round=None):
    fields = {"file": upload}
    if round is not None:
        fields["round"] = round.pk
    return client.post(IMPORT_URL, fields)


def problems_of(response):
    return [(p.row, p.column, p.message) for p in response.context["plan"].problems]


def assert_refused(response, row, column, fragment):
    """Check the preview names the problem and offers no confirm."""
    assert response.status_code == 200
    found = problems_of(response)
    assert any(r == row and c == column and fragment in m for r, c, m in found), found
    assert fragment in response.content.decode()
    assert response.context["token"] is None
    assert PENDING_ROSTER not in response.wsgi_request.session


@pytest.fixture
def staff_adder(db):
    """Staff allowed to add organizations, and nothing more."""
    user = UserFactory(email="roster@edn.example", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_organization"))
    client = Client()
    client.force_login(user)
    return client


def test_changelist_offers_import_to_staff(staff_client):
    response = staff_client.get(reverse("admin:organizations_organization_changelist"))

    assert IMPORT_URL in response.content.decode()
    assert "Import roster" in response.content.decode()


def test_anonymous_is_sent_to_admin_login(anonymous_client):
    before = counts()

    response = anonymous_client.post(IMPORT_URL, {"file": csv_upload(GOOD_ROWS)})

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert counts() == before


@pytest.mark.parametrize("persona", ["member_client", "outsider_client"])
def test_organization_members_cannot_open_import(persona, request):
    client = request.getfixturevalue(persona)
    before = counts()

    opened = client.get(IMPORT_URL)
    posted = client.post(IMPORT_URL, {"file": csv_upload(GOOD_ROWS)})

    assert opened.status_code == 302
    assert opened.url.startswith(reverse("admin:login"))
    assert posted.status_code == 302
    assert counts() == before


def test_staff_without_add_permission_is_refused(db):
    client = Client()
    client.force_login(UserFactory(email="viewer@edn.example", is_staff=True))

    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"file": csv_upload(GOOD_ROWS)}).status_code == 403
    assert not Organization.objects.filter(name="Eastside Clinic").exists()


def test_staff_with_add_permission_may_import(staff_adder):
    response = preview(staff_adder, csv_upload(GOOD_ROWS))

    assert response.status_code == 200
    assert response.context["token"]


def test_preview_lists_what_will_be_created_and_saves_nothing(staff_client):
    UserFactory(email="front@eastside.example")
    before = counts()

    response = preview(staff_client, csv_upload(GOOD_ROWS))

    plan = response.context["plan"]
    assert [o.name for o in plan.organizations] == [
        "Lakeside Food Bank",
        "Eastside Clinic",
    ]
    assert plan.new_contact_emails == ["ana@lakeside.example"]
    assert plan.memberships_count == 2
    page = response.content.decode()
    assert "Social &amp; Community Service" in page
    assert "Food, Legal aid" in page
    assert counts() == before


def confirm(client, response):
    return client.post(IMPORT_URL, {"token": response.context["token"]})


def test_good_csv_imports_after_confirm(staff_client, caplog):
    round = RoundFactory()
    existing = UserFactory(email="front@eastside.example")
    caplog.set_level(logging.INFO, logger="organizations.roster")

    shown = preview(staff_client, csv_upload(GOOD_ROWS), round=round)
    done = confirm(staff_client, shown)

    assert done.status_code == 302
    assert done.url == reverse("admin:organizations_organization_changelist")
    food_bank = Organization.objects.get(name="Lakeside Food Bank")
    assert food_bank.sector.slug == "social-community-service"
    assert {s.name for s in food_bank.services.all()} == {"Food", "Legal aid"}
    assert food_bank.short_name == "LFB"
    assert food_bank.aliases == ["Lakeside Pantry", "The Food Bank"]
    assert food_bank.website == "https://lakeside.example"
    assert food_bank.latitude == Decimal("41.878114")
    assert food_bank.longitude == Decimal("-87.629798")
    assert food_bank.size_band == "small"
    assert food_bank.zip_code == "60601"
    contact = User.objects.get(email="ana@lakeside.example")
    assert not contact.has_usable_password()
    assert Membership.objects.get(user=contact).role == Membership.Role.CONTACT
    clinic = Organization.objects.get(name="Eastside Clinic")
    assert clinic.memberships.get().user == existing
    assert existing.has_usable_password()
    assert set(round.roster.all()) == {food_bank, clinic}
    assert "imported roster: 2 organizations, 2 contacts" in caplog.messages
    assert PENDING_ROSTER not in staff_client.session


def test_good_xlsx_imports_after_confirm(staff_client):
    rows = [
        dict(GOOD_ROWS[0], latitude=41.8781136, longitude=-87.6297982),
        GOOD_ROWS[1],
    ]

    shown = preview(staff_client, xlsx_upload(rows))
    confirm(staff_client, shown)

    food_bank = Organization.objects.get(name="Lakeside Food Bank")
    assert food_bank.latitude == Decimal("41.878114")
    assert food_bank.services.count() == 2
    assert Organization.objects.get(name="Eastside Clinic").sector.name == "Health"
    assert User.objects.filter(email="front@eastside.example").exists()
    assert RosterEntry.objects.count() == 0


def test_tampered_confirm_changes_nothing(staff_client):
    shown = preview(staff_client, csv_upload(GOOD_ROWS))
    before = counts()

    refused = staff_client.post(IMPORT_URL, {"token": shown.context["token"] + "x"})

    assert refused.status_code == 302
    assert counts() == before
    messages = [str(m) for m in refused.wsgi_request._messages]
    assert "This preview is no longer valid. Upload the file again." in messages


def test_confirm_without_preview_changes_nothing(staff_client):
    before = counts()

    staff_client.post(IMPORT_URL, {"token": "made-up"})
    staff_client.post(IMPORT_URL, {"token": ""})

    assert counts() == before


def test_confirm_uses_the_previewed_round_not_one_sent_later(staff_client):
    chosen, other = RoundFactory(), RoundFactory()
    shown = preview(staff_client, csv_upload(GOOD_ROWS), round=chosen)

    staff_client.post(IMPORT_URL, {"token": shown.context["token"], "round": other.pk})

    assert chosen.roster.count() == 2
    assert other.roster.count() == 0


def test_confirming_twice_imports_once(staff_client):
    shown = preview(staff_client, csv_upload(GOOD_ROWS))
    confirm(staff_client, shown)
    after_first = counts()

    confirm(staff_client, shown)

    assert counts() == after_first


def test_organization_created_between_preview_and_confirm_stops_import(
    staff_client,
):
    shown = preview(staff_client, csv_upload(GOOD_ROWS))
    OrganizationFactory(name="EASTSIDE  clinic")
    before = counts()

    again = confirm(staff_client, shown)

    assert_refused(again, 3, "name", "already exists")
    assert counts() == before


BAD_ROWS = [
    pytest.param({"name": ""}, "name", "The name is missing.", id="missing-name"),
    pytest.param(
        {"sector": "Aerospace"},
        "sector",
        "Unknown sector “Aerospace”. Known sectors: Health, Business",
        id="unknown-sector",
    ),
    pytest.param(
        {"services": "Food; Rocketry"},
        "services",
        "Unknown service “Rocketry”. Known services: Health service",
        id="unknown-service",
    ),
    pytest.param(
        {"contact_email": "ana@"},
        "contact_email",
        "“ana@” is not an e-mail address.",
        id="bad-email",
    ),
    pytest.param(
        {"latitude": "north", "longitude": "1"},
        "latitude",
        "“north” is not a number between -90 and 90.",
        id="bad-latitude",
    ),
    pytest.param(
        {"latitude": "1", "longitude": "200"},
        "longitude",
        "“200” is not a number between -180 and 180.",
        id="bad-longitude",
    ),
    pytest.param(
        {"latitude": "41.9", "longitude": ""},
        "latitude",
        "Give both latitude and longitude, or neither.",
        id="latitude-alone",
    ),
    pytest.param(
        {"website": "not a site"},
        "website",
        "“not a site” is not a web address.",
        id="bad-website",
    ),
    pytest.param(
        {"size_band": "huge"},
        "size_band",
        "Unknown size “huge”. Use one of: volunteer, small",
        id="bad-size-band",
    ),
    pytest.param(
        {"zip_code": "12345678901"},
        "zip_code",
        "Use at most 10 characters.",
        id="long-zip-code",
    ),
]


@pytest.mark.parametrize(("change", "column", "message"), BAD_ROWS)
def test_bad_row_is_reported_and_nothing_saved(staff_client, change, column, message):
    rows = [GOOD_ROWS[1], dict(GOOD_ROWS[0], **change)]
    before = counts()

    shown = preview(staff_client, csv_upload(rows))

    assert_refused(shown, 3, column, message)
    assert counts() == before


def test_duplicate_name_in_file_names_both_rows(staff_client):
    copy = dict(GOOD_ROWS[1], name="  eastside   CLINIC ")
    before = counts()

    shown = preview(staff_client, csv_upload([*GOOD_ROWS, copy]))

    assert_refused(shown, 4, "name", "is on row 3 and row 4.")
    assert counts() == before


@pytest.mark.parametrize(
    ("existing", "message"),
    [
        ({"name": "Eastside  CLINIC"}, "An organization named “Eastside CLINIC”"),
        (
            {"name": "Eastside Community Clinic", "aliases": ["Eastside Clinic"]},
            "This is another name of the existing “Eastside Community Clinic”.",
        ),
        (
            {"name": "Eastside Health", "short_name": "eastside clinic"},
            "This is another name of the existing “Eastside Health”.",
        ),
    ],
)
def test_duplicate_of_existing_organization_is_refused(staff_client, existing, message):
    OrganizationFactory(**existing)
    before = counts()

    shown = preview(staff_client, csv_upload(GOOD_ROWS))

    assert_refused(shown, 3, "name", message)
    assert counts() == before


def test_every_bad_row_is_reported_at_once(staff_client):
    rows = [
        dict(GOOD_ROWS[0], sector="Aerospace", contact_email="nobody"),
        dict(GOOD_ROWS[1], name=""),
    ]

    shown = preview(staff_client, csv_upload(rows))

    assert [(r, c) for r, c, _ in problems_of(shown)] == [
        (2, "sector"),
        (2, "contact_email"),
        (3, "name"),
    ]


FILE_PROBLEMS = [
    pytest.param(
        SimpleUploadedFile("roster.csv", b"name,sector\nCaf\x81\x8d,x\n"),
        "The file is neither UTF-8 nor Windows-1252 text. Save it as “CSV UTF-8” "
        "and upload it again.",
        id="wrong-encoding",
    ),
    pytest.param(
        SimpleUploadedFile("roster.csv", b""), "The file is empty.", id="empty-file"
    ),
    pytest.param(
        csv_upload([]), "The file has a header but no rows.", id="header-only"
    ),
    pytest.param(
        csv_upload(GOOD_ROWS, columns=["name", "sector", "services"]),
        "This required column is missing.",
        id="missing-column",
    ),
    pytest.param(
        SimpleUploadedFile("roster.pdf", b"%PDF-1.7"),
        "Upload a CSV (.csv) or Excel (.xlsx) file.",
        id="not-a-spreadsheet",
    ),
    pytest.param(
        SimpleUploadedFile("roster.xlsx", b"name,sector\n"),
        "The file is not a readable Excel workbook.",
        id="not-a-workbook",
    ),
]


@pytest.mark.parametrize(("upload", "message"), FILE_PROBLEMS)
def test_bad_file_is_reported_and_nothing_saved(staff_client, upload, message):
    before = counts()

    shown = preview(staff_client, upload)

    assert shown.status_code == 200
    assert message in [m for _, _, m in problems_of(shown)]
    assert message in shown.content.decode()
    assert shown.context["token"] is None
    assert counts() == before


def test_missing_column_names_the_column(staff_client):
    upload = csv_upload(GOOD_ROWS, columns=["name", "sector", "services"])

    shown = preview(staff_client, upload)

    assert problems_of(shown) == [
        (1, "contact_email", "This required column is missing.")
    ]


def test_closed_round_cannot_be_chosen(staff_client):
    closed = RoundFactory(status="closed")

    shown = preview(staff_client, csv_upload(GOOD_ROWS), round=closed)

    assert "round" in shown.context["form"].errors
    assert shown.context["plan"] is None
