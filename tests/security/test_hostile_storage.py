"""Hostile names and texts entered through the real forms are stored as given.

What a form does to every text (trim the ends; a write-in or an imported
cell also folds runs of spaces into one) is the only change allowed. A
value over a field's length, or holding a NUL character PostgreSQL cannot
store, is refused with a message next to the field and changes nothing.
"""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guide.models import Reflection, Reply
from organizations.admin import PENDING_ROSTER
from organizations.models import Organization
from surveys.models import Nomination, Practice
from tests.organizations.test_roster_import import IMPORT_URL, counts, problems_of
from tests.security.hostile import JAVASCRIPT_LINK, LONG, NAMES, NUL, TEXTS
from tests.surveys.survey_setup import step_url

NUL_MESSAGE = "Null characters are not allowed."


def folded(text):
    return " ".join(text.split())


def roster_csv(names):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["name", "sector", "services", "contact_email"])
    for number, name in enumerate(names):
        writer.writerow([name, "health", "food", f"contact{number}@x.example"])
    return SimpleUploadedFile("roster.csv", buffer.getvalue().encode())


def test_roster_import_stores_hostile_names_as_given(staff_client):
    shown = staff_client.post(IMPORT_URL, {"file": roster_csv(NAMES)})
    assert shown.context["plan"].problems == []
    token = staff_client.session[PENDING_ROSTER]["token"]

    staff_client.post(IMPORT_URL, {"token": token})

    stored = set(Organization.objects.values_list("name", flat=True))
    assert {folded(name) for name in NAMES} <= stored


def test_roster_import_refuses_a_name_over_200_characters(staff_client):
    before = counts()

    shown = staff_client.post(IMPORT_URL, {"file": roster_csv([LONG])})

    assert problems_of(shown) == [(2, "name", "Use at most 200 characters.")]
    assert counts() == before


def admin_form(staff_client, name):
    """Return the admin's add form filled with a name and nothing else."""
    page = staff_client.get(reverse("admin:organizations_organization_add"))
    total = re.search(r'name="([\w-]+)-TOTAL_FORMS"', page.content.decode())[1]
    return {
        "name": name,
        "aliases": "[]",
        "is_active": "on",
        f"{total}-TOTAL_FORMS": "0",
        f"{total}-INITIAL_FORMS": "0",
    }


@pytest.mark.parametrize("name", NAMES)
def test_admin_stores_a_hostile_name_as_given(admin_client, name):
    answer = admin_client.post(
        reverse("admin:organizations_organization_add"), admin_form(admin_client, name)
    )

    assert answer.status_code == 302, answer.context["adminform"].form.errors
    assert Organization.objects.filter(name=name.strip()).exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (LONG, "Ensure this value has at most 200 characters"),
        (NUL, NUL_MESSAGE),
    ],
    ids=["too-long", "nul"],
)
def test_admin_refuses_a_bad_name_next_to_the_field(admin_client, name, message):
    answer = admin_client.post(
        reverse("admin:organizations_organization_add"), admin_form(admin_client, name)
    )

    assert answer.status_code == 200
    assert message in str(answer.context["adminform"].form.errors["name"])
    assert not Organization.objects.exists()


def write_in(client, response, name):
    url = step_url(response, "partners")
    response.refresh_from_db()
    data = {
        "action": "write_in",
        "name": name,
        "confirm": "1",
        "version": response.version,
    }
    return client.post(url, data)


@pytest.mark.parametrize("name", NAMES)
def test_survey_stores_a_hostile_write_in_as_given(member_client, response, name):
    answer = write_in(member_client, response, name)

    assert answer.status_code == 302
    assert list(response.nominations.values_list("write_in_name", flat=True)) == [
        folded(name)
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [(LONG, "Ensure this value has at most 200 characters"), (NUL, NUL_MESSAGE)],
    ids=["too-long", "nul"],
)
def test_survey_refuses_a_bad_write_in_with_a_message(
    member_client, response, name, message
):
    answer = write_in(member_client, response, name)

    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert not Nomination.objects.exists()


def practices(client, response, story):
    response.refresh_from_db()
    data = {
        "story": story,
        "story_stage": "planning",
        "consent": "named",
        "version": response.version,
    }
    return client.post(step_url(response, "practices"), data)


@pytest.mark.parametrize("story", [*TEXTS, LONG[:3000]])
def test_survey_stores_a_hostile_practice_story_as_given(
    member_client, response, story
):
    answer = practices(member_client, response, story)

    assert answer.status_code == 302
    assert Practice.objects.get(response=response).text == story.strip()


@pytest.mark.parametrize(
    ("story", "message"),
    [(LONG, "Ensure this value has at most 3000 characters"), (NUL, NUL_MESSAGE)],
    ids=["too-long", "nul"],
)
def test_survey_refuses_a_bad_story_with_a_message(
    member_client, response, story, message
):
    answer = practices(member_client, response, story)

    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert not Practice.objects.exists()


def reflect(client, organization, title, body):
    data = {"organization": organization.pk, "title": title, "body": body}
    return client.post(reverse("guide:new_reflection"), data)


@pytest.mark.parametrize("text", [*TEXTS, LONG])
def test_exchange_stores_hostile_reflections_and_replies_as_given(
    member_client, organization, text
):
    answer = reflect(member_client, organization, text[:160], text)
    assert answer.status_code == 302, answer.context["form"].errors
    reflection = Reflection.objects.get()

    reply = member_client.post(reflection.get_absolute_url(), {"body": text[:3000]})

    assert reply.status_code == 302
    assert (reflection.title, reflection.body) == (text[:160].strip(), text.strip())
    assert Reply.objects.get().body == text[:3000].strip()


@pytest.mark.parametrize(
    ("title", "body", "message"),
    [
        ("Fine", LONG + "x", "Ensure this value has at most 5000 characters"),
        (LONG, "Fine", "Ensure this value has at most 160 characters"),
        ("Fine", NUL, NUL_MESSAGE),
    ],
    ids=["long-body", "long-title", "nul"],
)
def test_exchange_refuses_a_bad_post_with_a_message(
    member_client, organization, title, body, message
):
    answer = reflect(member_client, organization, title, body)

    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert not Reflection.objects.exists()


def test_the_javascript_link_is_stored_but_not_linked(member_client, organization):
    reflect(member_client, organization, "Links", JAVASCRIPT_LINK)
    reflection = Reflection.objects.get()

    page = member_client.get(reflection.get_absolute_url()).content.decode()

    assert reflection.body == JAVASCRIPT_LINK
    assert 'href="javascript' not in page.lower()
