"""Signing in: the lockout after repeated failures, and what it gives away.

Every attempt goes through the login view, as django-axes needs the request.
"""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse 42"
FAILURE = "Please enter a correct e-mail address and password."
LOCKED = "There were too many unsuccessful attempts to sign in."


@pytest.fixture
def person(db):
    return UserFactory(email="person@northside.example")


def sign_in(client, email, password, address="203.0.113.7"):
    return client.post(
        reverse("login"),
        {"username": email, "password": password},
        REMOTE_ADDR=address,
    )


def is_signed_in(client):
    return "_auth_user_id" in client.session


def fail(client, email, times, address="203.0.113.7"):
    """Try a wrong password; return the statuses, checking each one's message."""
    statuses = []
    for _ in range(times):
        answer = sign_in(client, email, "wrong password", address)
        statuses.append(answer.status_code)
        expected = {200: FAILURE, 429: LOCKED}[answer.status_code]
        assert expected in answer.content.decode()
    return statuses


def shown(answer, email):
    """Return what a visitor sees, without the e-mail they typed or the token."""
    text = answer.content.decode().replace(email, "EMAIL")
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "TOKEN", text)
    return answer.status_code, [t.name for t in answer.templates][:1], text


def test_the_right_password_signs_in(client, person):
    answer = sign_in(client, person.email, PASSWORD)

    assert answer.status_code == 302
    assert is_signed_in(client)


def test_the_sixth_attempt_is_locked_out_even_with_the_right_password(client, person):
    # The fifth failure is answered with the lockout page already.
    assert fail(client, person.email, 5) == [200, 200, 200, 200, 429]

    answer = sign_in(client, person.email, PASSWORD)

    assert answer.status_code == 429
    assert LOCKED in answer.content.decode()
    assert "registration/locked_out.html" in [t.name for t in answer.templates]
    assert not is_signed_in(client)


def test_a_lock_is_for_the_e_mail_from_that_address_only(client, person):
    other = UserFactory(email="other@northside.example")
    fail(client, person.email, 5)

    assert sign_in(client, other.email, PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, person.email, PASSWORD, "198.51.100.9").status_code == 302


def test_letter_case_does_not_buy_more_attempts(client, person):
    fail(client, person.email, 5)

    answer = sign_in(client, " Person@Northside.EXAMPLE", PASSWORD)

    assert answer.status_code == 429
    assert not is_signed_in(client)


def test_an_unknown_e_mail_gets_the_same_answers_as_a_known_one(client, person):
    unknown = "nobody@northside.example"

    first_known = shown(sign_in(client, person.email, "wrong password"), person.email)
    first_unknown = shown(sign_in(client, unknown, "wrong password"), unknown)
    assert first_known == first_unknown
    assert FAILURE in first_known[2]

    fail(client, person.email, 4)
    fail(client, unknown, 4)
    locked_known = shown(sign_in(client, person.email, PASSWORD), person.email)
    locked_unknown = shown(sign_in(client, unknown, PASSWORD), unknown)
    assert locked_known == locked_unknown
    assert locked_known[0] == 429
    assert LOCKED in locked_known[2]


def test_the_failure_message_does_not_say_whether_the_account_exists(client):
    text = sign_in(client, "nobody@northside.example", "x").content.decode()

    assert FAILURE in text
    for telling in ("no account", "does not exist", "not found", "unknown"):
        assert telling not in text.lower()


def test_a_success_before_the_limit_starts_the_count_again(client, person):
    fail(client, person.email, 4)
    assert sign_in(client, person.email, PASSWORD).status_code == 302
    client.logout()

    fail(client, person.email, 4)

    assert sign_in(client, person.email, PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(client, person):
    fail(client, person.email, 5)
    assert sign_in(client, person.email, PASSWORD).status_code == 429

    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )

    assert sign_in(client, person.email, PASSWORD).status_code == 302


@override_settings(AXES_COOLOFF_TIME=timedelta(minutes=30))
def test_the_lock_holds_until_the_cool_off_has_passed(client, person):
    fail(client, person.email, 5)

    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )

    assert sign_in(client, person.email, PASSWORD).status_code == 429


def test_a_deactivated_account_is_refused_with_the_same_message(client, person):
    person.is_active = False
    person.save()

    answer = sign_in(client, person.email, PASSWORD)

    assert answer.status_code == 200
    assert FAILURE in answer.content.decode()
    assert not is_signed_in(client)


def test_the_sign_in_page_links_to_a_password_reset(client):
    text = client.get(reverse("login")).content.decode()

    assert reverse("password_reset") in text
    assert "Forgot your password?" in text


@override_settings(PROXY_COUNT=1)
def test_behind_a_proxy_the_lock_is_for_the_forwarded_address(client, person):
    def attempt(password, forwarded):
        return client.post(
            reverse("login"),
            {"username": person.email, "password": password},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for _ in range(5):
        attempt("wrong password", "203.0.113.7")

    assert attempt(PASSWORD, "203.0.113.7").status_code == 429
    assert attempt(PASSWORD, "198.51.100.9").status_code == 302
