"""Sessions: a new key at sign-in, and sign-out or deactivation end them."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from organizations.models import Session
from organizations.sessions import end_sessions
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse 42"
NEW = "lantern orchard 1987"


@pytest.fixture
def person(db):
    return UserFactory(email="person@northside.example")


def signed_in_client(user):
    client = Client()
    answer = client.post(
        reverse("login"), {"username": user.email, "password": PASSWORD}
    )
    assert answer.status_code == 302
    return client


def session_key(client):
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def client_with_key(key):
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    return client


def is_signed_in(client):
    """Return whether the client's cookie opens a page that needs signing in."""
    return client.get(reverse("password_change")).status_code == 200


def test_signing_in_gives_a_new_session_key(person):
    client = Client()
    before = client.session
    before["visited"] = True
    before.save()
    old_key = session_key(client)

    client.post(reverse("login"), {"username": person.email, "password": PASSWORD})

    assert session_key(client) != old_key
    assert is_signed_in(client)
    assert not Session.objects.filter(session_key=old_key).exists()
    assert not is_signed_in(client_with_key(old_key))


def test_signing_out_ends_the_session(person):
    client = signed_in_client(person)
    key = session_key(client)

    answer = client.post(reverse("logout"))

    assert answer.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert not is_signed_in(client_with_key(key))


def test_a_deactivated_user_is_signed_out_at_the_next_request(person):
    client = signed_in_client(person)
    key = session_key(client)
    # An update() skips the save hooks: the request itself must refuse.
    type(person).objects.filter(pk=person.pk).update(is_active=False)

    assert not is_signed_in(client_with_key(key))


def test_deactivating_a_user_deletes_their_sessions_at_once(person):
    first, second = signed_in_client(person), signed_in_client(person)
    other = signed_in_client(UserFactory(email="other@northside.example"))
    keys = [session_key(first), session_key(second)]

    person.is_active = False
    person.save()

    assert not Session.objects.filter(session_key__in=keys).exists()
    assert Session.objects.filter(session_key=session_key(other)).exists()
    assert is_signed_in(other)


def test_deactivating_in_the_admin_ends_the_sessions(person):
    client = signed_in_client(person)
    key = session_key(client)
    admin = UserFactory(email="admin@edn.example", is_staff=True, is_superuser=True)
    admin_client = Client()
    admin_client.force_login(admin)
    url = reverse("admin:organizations_user_change", args=[person.pk])

    # The change form with "Active" unticked, every other field as it was.
    answer = admin_client.post(
        url,
        {
            "email": person.email,
            "first_name": "",
            "last_name": "",
            "date_joined_0": "2026-01-05",
            "date_joined_1": "09:00:00",
            "last_login_0": "",
            "last_login_1": "",
        },
    )

    assert answer.status_code == 302
    person.refresh_from_db()
    assert not person.is_active
    assert not Session.objects.filter(session_key=key).exists()
    assert is_signed_in(admin_client)


def test_saving_an_active_user_keeps_their_sessions(person):
    client = signed_in_client(person)

    person.first_name = "Rosa"
    person.save()

    assert is_signed_in(client)


def test_end_sessions_counts_what_it_ended(person):
    signed_in_client(person)
    signed_in_client(person)
    other = signed_in_client(UserFactory(email="other@northside.example"))

    assert end_sessions(person) == 2
    assert not Session.objects.filter(user_id=person.pk).exists()
    assert is_signed_in(other)


def test_a_session_records_who_is_signed_in(person):
    client = Client()
    client.get(reverse("login"))
    visitor = client.session
    visitor["visited"] = True
    visitor.save()

    assert Session.objects.get(session_key=session_key(client)).user_id is None

    client.post(reverse("login"), {"username": person.email, "password": PASSWORD})

    assert Session.objects.get(session_key=session_key(client)).user_id == person.pk


def test_ending_sessions_reads_no_one_elses(person, django_assert_num_queries):
    # One indexed delete, however many other people are signed in.
    for number in range(30):
        Client().force_login(UserFactory(email=f"someone{number}@northside.example"))
    Client().force_login(person)

    with django_assert_num_queries(1):
        assert end_sessions(person) == 1


def test_changing_the_password_ends_the_other_sessions_only(person):
    here, elsewhere = signed_in_client(person), signed_in_client(person)

    answer = here.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )

    assert answer.status_code == 302
    assert is_signed_in(here)
    assert not is_signed_in(elsewhere)
