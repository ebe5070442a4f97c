"""Property tests: random input to the import and survey endpoints.

Whatever is sent, the answer is never a server error, and an answer that
refuses the input leaves every row as it was. Hypothesis shrinks a failing
example to the smallest input that shows the problem.
"""

import csv
import io
import itertools
import json

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from organizations.admin import PENDING_ROSTER
from tests.organizations.test_roster_import import IMPORT_URL
from tests.security.hostile import NAMES, TEXTS
from tests.surveys.survey_setup import STEP_SLUGS, step_url

FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Text as a form or a file may carry it: any code point UTF-8 can encode.
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
SOME_TEXT = st.one_of(ANY_TEXT, st.sampled_from([*TEXTS, "", " ", "\x00"]))
LONG_TEXT = st.builds(
    lambda c, n: c * n, st.sampled_from("ax<\u202e"), st.integers(0, 6000)
)


def rows():
    """Return every row of the project's own tables, to compare before and after."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values_list())
        for name in ("organizations", "surveys", "network", "participants", "guide")
        for model in apps.get_app_config(name).get_models()
    }


# Roster import.

ROSTER_COLUMNS = ["name", "sector", "services", "contact_email", "short_name"]
ROSTER_COLUMNS += ["aliases", "website", "latitude", "longitude", "size_band"]
CELLS = st.one_of(
    SOME_TEXT,
    st.sampled_from(["health", "food", "a@b.example", "91", "-0.5", "Small", "x.org"]),
)


@st.composite
def roster_files(draw):
    """Draw a file: random bytes, random text, or a CSV of random cells."""
    kind = draw(st.sampled_from(["bytes", "text", "cells"]))
    name = draw(st.sampled_from(["r.csv", "r.xlsx", "r.txt", "r.CSV", "r.png"]))
    if kind == "bytes":
        return name, draw(st.binary(max_size=2000))
    if kind == "text":
        return name, draw(ANY_TEXT).encode()
    columns = draw(
        st.lists(st.sampled_from(ROSTER_COLUMNS) | ANY_TEXT, min_size=1, max_size=8)
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for _ in range(draw(st.integers(0, 6))):
        writer.writerow([draw(CELLS) for _ in columns])
    return "r.csv", buffer.getvalue().encode()


@FUZZ
@given(file=roster_files(), token=st.one_of(st.none(), ANY_TEXT))
def test_roster_import_never_fails_and_refusals_write_nothing(
    staff_client, file, token
):
    cache.clear()
    before = rows()

    shown = staff_client.post(IMPORT_URL, {"file": SimpleUploadedFile(*file)})

    assert shown.status_code == 200
    assert rows() == before
    pending = staff_client.session.get(PENDING_ROSTER)
    event("preview" if shown.context["token"] else "refused")
    if shown.context["token"] is None:
        assert pending is None
        assert shown.context["plan"].problems or shown.context["form"].errors
        return
    tampered = token if token is not None and token != pending["token"] else "x"

    refused = staff_client.post(IMPORT_URL, {"token": tampered})

    assert refused.status_code == 302
    assert rows() == before


@FUZZ
@given(token=st.one_of(ANY_TEXT, st.binary(max_size=100).map(bytes.hex)))
def test_roster_confirm_without_a_preview_writes_nothing(staff_client, token):
    before = rows()

    answer = staff_client.post(IMPORT_URL, {"token": token})

    assert answer.status_code == 302
    assert rows() == before


# Survey.

FIELD_NAMES = [
    "version",
    "sector",
    "services",
    "service_area",
    "size_band",
    "practices",
    "story",
    "story_stage",
    "consent",
    "visibility",
    "consent_to_contact",
    "consent_to_participate",
    "action",
    "organization",
    "nomination",
    "aspiration",
    "name",
    "confirm",
    "go",
]
VALUES = st.one_of(
    SOME_TEXT,
    LONG_TEXT,
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(["add", "write_in", "remove", "add_previous", "1", "on"]),
    st.sampled_from(["planning", "named", "members", "next", "back", "NaN"]),
)
# A partner's card posts its fields prefixed with its nomination's id.
PARTNER_FIELDS = st.builds(
    "n{}-{}".format,
    st.integers(0, 9),
    st.sampled_from(
        ["collaboration_level", "frequency", "trust", "value", "services"]
        + ["data_sharing", "data_agreement", "sends_referrals", "wants_to_deepen"]
    ),
)
FORMS = st.dictionaries(
    st.sampled_from(FIELD_NAMES) | PARTNER_FIELDS | ANY_TEXT,
    st.one_of(VALUES, st.lists(VALUES, max_size=4)),
    max_size=8,
)


@pytest.fixture
def started(member_client, response, organization):
    """A started response naming one partner, so every step has rows to show."""
    partner = response.round.roster_entries.exclude(organization=organization)[0]
    response.nominations.create(partner=partner.organization)
    member_client.get(step_url(response, "organization"))
    response.refresh_from_db()
    return response


def use_version(form, response, choice):
    """Send the response's current version, a stale one, or whatever was drawn."""
    response.refresh_from_db()
    if choice == "current":
        form["version"] = str(response.version)
    elif choice == "stale":
        form["version"] = str(response.version - 1)
    return form


@FUZZ
@given(
    step=st.sampled_from(STEP_SLUGS),
    form=FORMS,
    version=st.sampled_from(["current", "stale", "drawn"]),
    autosave=st.booleans(),
)
def test_survey_steps_never_fail_and_refusals_write_nothing(
    member_client, started, step, form, version, autosave
):
    cache.clear()
    form = use_version(form, started, version)
    before = rows()

    headers = {"X-EDN-Autosave": "1"} if autosave else {}
    answer = member_client.post(step_url(started, step), form, headers=headers)

    assert answer.status_code < 500
    event(f"answer {answer.status_code}")
    refused = answer.status_code >= 400 or answer.status_code == 200 and not autosave
    if refused:
        assert rows() == before
    if autosave and answer.status_code == 200:
        assert json.loads(answer.content)["version"] >= started.version


@FUZZ
@given(
    step=st.sampled_from(STEP_SLUGS),
    body=st.recursive(
        st.none() | st.booleans() | st.floats() | st.integers() | SOME_TEXT,
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(FIELD_NAMES) | ANY_TEXT, inner, max_size=4
            )
        ),
        max_leaves=20,
    ),
)
def test_a_json_body_saves_nothing(member_client, started, step, body):
    cache.clear()
    before = rows()

    answer = member_client.post(
        step_url(started, step),
        json.dumps(body),
        content_type="application/json",
        headers={"X-EDN-Autosave": "1"},
    )

    assert answer.status_code < 500
    if answer["Content-Type"] == "application/json":
        assert json.loads(answer.content)["status"] != "saved"
    assert rows() == before


@FUZZ
@given(
    query=st.one_of(SOME_TEXT, LONG_TEXT, st.text("\x00\x01\x1f\x7f\t\n", max_size=50))
)
def test_partner_search_answers_any_query(member_client, started, query):
    cache.clear()
    before = rows()

    for url in (
        step_url(started, "partners"),
        step_url(started, "aspirations"),
        f"/survey/{started.pk}/search/",
    ):
        answer = member_client.get(url, {"q": query}, headers={"HX-Request": "true"})
        assert answer.status_code < 500, url

    assert rows() == before


# The import_network command.

ORGANIZATION_COLUMNS = ["name", "sector", "services", "short_name", "zip_code"]
ORGANIZATION_COLUMNS += ["website", "latitude", "size_band"]
ROUND_NUMBERS = itertools.count()
TIE_COLUMNS = ["source", "target", "level", "referral", "data_agreement"]


def csv_text(columns, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


@st.composite
def network_files(draw):
    """Draw two files that often describe a network and sometimes do not."""
    names = draw(
        st.lists(
            st.sampled_from(NAMES[:6]) | ANY_TEXT.filter(str.strip),
            min_size=1,
            max_size=4,
            unique_by=lambda n: " ".join(n.split()).casefold(),
        )
    )
    cells = st.one_of(
        SOME_TEXT,
        st.sampled_from(["Health", "Food; Shelter", "60601", "1.5", "91", "x.org"]),
    )
    extra = draw(
        st.lists(st.sampled_from(ORGANIZATION_COLUMNS[1:]) | ANY_TEXT, max_size=3)
        | st.just([])
    )
    organizations = csv_text(
        ["name", *extra], [[name, *(draw(cells) for _ in extra)] for name in names]
    )
    if draw(st.integers(0, 9)) == 0:
        organizations = draw(ANY_TEXT)

    columns = draw(st.permutations(TIE_COLUMNS))
    if len(names) > 1 and draw(st.booleans()):
        # Ties between the listed organizations, with values the importer knows.
        pairs = draw(
            st.lists(
                st.permutations(names).map(lambda p: tuple(p[:2])),
                min_size=1,
                max_size=3,
                unique=True,
            )
        )
        known = {
            "level": st.sampled_from(["", "communication", "collaboration"]),
            "referral": st.sampled_from(["", "sends", "both"]),
            "data_agreement": st.sampled_from(["", "signed", "in progress"]),
        }
        rows = []
        for source, target in pairs:
            drawn = {c: draw(v) for c, v in known.items()}
            drawn.update(source=source, target=target)
            rows.append([drawn[column] for column in columns])
        return organizations, csv_text(columns, rows)

    known = st.sampled_from(names) | SOME_TEXT
    rows = [[draw(known) for _ in columns] for _ in range(draw(st.integers(0, 3)))]
    ties = csv_text(columns, rows)
    return organizations, ties


@FUZZ
@given(files=network_files())
def test_import_network_refuses_cleanly_or_imports(db, tmp_path, files):
    organizations, ties = tmp_path / "organizations.csv", tmp_path / "ties.csv"
    organizations.write_text(files[0], encoding="utf-8")
    ties.write_text(files[1], encoding="utf-8")
    before = rows()

    try:
        call_command(
            "import_network",
            round=f"Fuzzed {next(ROUND_NUMBERS)}",
            organizations=str(organizations),
            ties=str(ties),
            stdout=io.StringIO(),
        )
        event("imported")
    except CommandError as error:
        event("refused")
        assert "Nothing was imported" in str(error)
        assert rows() == before
