"""Rate limits: past the allowance a request gets 429 and changes nothing.

The limits are set low here, per day so that no test straddles the fixed
window a count belongs to, through the settings they are read from; the
counts live in the default cache, which tests/conftest.py empties per test.
"""
# ruff: noqa: F811 -- fixtures imported from the setup modules are arguments

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from edn.ratelimits import how_long
from surveys.models import Invitation
from tests.factories import MembershipFactory, ResponseFactory, UserFactory
from tests.surveys.invitation_setup import invite_round  # noqa: F401
from tests.surveys.survey_setup import (  # noqa: F401
    autosave,
    open_round,
    response,
    step_url,
)

pytestmark = pytest.mark.django_db

WAIT = "Too many requests in a short time. Please wait"
SAVES = "Too many saves in a short time. Your change is kept here"


def assert_refused_as_page(answer):
    assert answer.status_code == 429
    assert int(answer["Retry-After"]) >= 1
    assert "429.html" in [t.name for t in answer.templates]
    assert WAIT in answer.content.decode()


def assert_refused_as_json(answer, message=WAIT):
    assert answer.status_code == 429
    assert int(answer["Retry-After"]) >= 1
    body = answer.json()
    assert body["error"].startswith(message)
    assert body["retry_after"] == int(answer["Retry-After"])


def sign_in(client, email, password, address="203.0.113.7"):
    return client.post(
        reverse("login"),
        {"username": email, "password": password},
        REMOTE_ADDR=address,
    )


@override_settings(RATE_LIMIT_SIGN_IN="3/d")
def test_sign_in_is_limited_per_address():
    person = UserFactory(email="person@northside.example")
    client = Client()
    for number in range(3):
        assert sign_in(client, f"guess{number}@x.example", "nope").status_code == 200

    answer = sign_in(client, person.email, "correct horse 42")

    assert_refused_as_page(answer)
    assert "_auth_user_id" not in client.session
    elsewhere = sign_in(Client(), person.email, "correct horse 42", "198.51.100.9")
    assert elsewhere.status_code == 302


@override_settings(RATE_LIMIT_SIGN_IN="2/d")
def test_the_admin_sign_in_shares_the_allowance():
    client = Client()
    sign_in(client, "guess@x.example", "nope")
    client.post(
        reverse("admin:login"),
        {"username": "guess@x.example", "password": "nope"},
        REMOTE_ADDR="203.0.113.7",
    )

    answer = client.post(
        reverse("admin:login"),
        {"username": "guess@x.example", "password": "nope"},
        REMOTE_ADDR="203.0.113.7",
    )

    assert_refused_as_page(answer)


@override_settings(RATE_LIMIT_SIGN_IN="1/d", PROXY_COUNT=1)
def test_behind_a_proxy_the_forwarded_address_is_counted():
    client = Client()

    def attempt(forwarded):
        return client.post(
            reverse("login"),
            {"username": "guess@x.example", "password": "nope"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    assert attempt("203.0.113.7").status_code == 200
    assert attempt("198.51.100.9").status_code == 200
    # A made-up entry before the proxy's own does not buy another allowance.
    assert_refused_as_page(attempt("192.0.2.1, 203.0.113.7"))


@override_settings(RATE_LIMIT_SIGN_IN="3/d")
def test_showing_the_sign_in_page_is_not_counted(client):
    for _ in range(5):
        assert (
            client.get(reverse("login"), REMOTE_ADDR="203.0.113.7").status_code == 200
        )


@override_settings(RATE_LIMIT_PASSWORD_RESET="2/d")
def test_password_reset_is_limited_per_address():
    person = UserFactory(email="person@northside.example")
    client = Client()
    for _ in range(2):
        client.post(
            reverse("password_reset"), {"email": person.email}, REMOTE_ADDR="1.2.3.4"
        )
    assert len(mail.outbox) == 2

    answer = client.post(
        reverse("password_reset"), {"email": person.email}, REMOTE_ADDR="1.2.3.4"
    )

    assert_refused_as_page(answer)
    assert len(mail.outbox) == 2
    client.post(
        reverse("password_reset"), {"email": person.email}, REMOTE_ADDR="5.6.7.8"
    )
    assert len(mail.outbox) == 3


def staff_user(email):
    return UserFactory(email=email, is_staff=True)


def send_invitations(client, round_, organization):
    return client.post(
        reverse("surveys:staff_send_invitations", args=[round_.slug]),
        {"scope": "chosen", "organizations": organization.pk, "confirmed": "1"},
    )


@override_settings(RATE_LIMIT_INVITATIONS="2/d")
def test_invitation_sending_is_limited_per_staff_user(
    invite_round, organization, other_organization
):
    first, second = Client(), Client()
    first.force_login(staff_user("first@edn.example"))
    second.force_login(staff_user("second@edn.example"))
    remind = reverse("surveys:staff_send_reminders", args=[invite_round.slug])
    assert send_invitations(first, invite_round, organization).status_code == 302
    assert first.post(remind, {"scope": "uninvited"}).status_code == 200
    sent = len(mail.outbox)

    answer = send_invitations(first, invite_round, other_organization)

    assert_refused_as_page(answer)
    assert len(mail.outbox) == sent
    assert not Invitation.objects.filter(organization=other_organization).exists()
    assert send_invitations(second, invite_round, other_organization).status_code == 302
    assert Invitation.objects.filter(organization=other_organization).exists()


@override_settings(RATE_LIMIT_INVITATIONS="1/d")
def test_revoking_shares_the_staff_allowance(invite_round, organization):
    client = Client()
    client.force_login(staff_user("first@edn.example"))
    send_invitations(client, invite_round, organization)
    invitation = Invitation.objects.get()
    url = reverse(
        "surveys:staff_revoke_invitation", args=[invite_round.slug, invitation.pk]
    )

    answer = client.post(url, {"confirmed": "1"}, HTTP_REFERER="http://testserver/x/")

    assert_refused_as_page(answer)
    assert 'href="http://testserver/x/"' in answer.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def about(response, service_area):
    return {"version": response.version, "service_area": service_area}


def save(client, response, service_area):
    response.refresh_from_db()
    return autosave(
        client, step_url(response, "organization"), about(response, service_area)
    )


@override_settings(RATE_LIMIT_AUTOSAVE="3/d")
def test_autosave_is_limited_per_response_not_per_address(
    member_client, response, open_round, other_organization
):
    other = ResponseFactory(round=open_round, organization=other_organization)
    other_client = Client()
    other_client.force_login(MembershipFactory(organization=other_organization).user)
    for number in range(3):
        assert save(member_client, response, f"Area {number}").status_code == 200

    answer = save(member_client, response, "Too many")

    assert_refused_as_json(answer, SAVES)
    response.refresh_from_db()
    assert response.service_area == "Area 2"
    assert response.version == 4
    # Another response from the same address (127.0.0.1) saves as usual.
    assert save(other_client, other, "Riverside").status_code == 200


@override_settings(RATE_LIMIT_AUTOSAVE="1/d")
def test_a_respondent_answering_in_spanish_is_told_in_spanish(member_client, response):
    member_client.post(reverse("set_language"), {"language": "es"})
    save(member_client, response, "Area 1")

    answer = save(member_client, response, "Area 2")

    assert answer.status_code == 429
    # The wait depends on where today's window ends: seconds, minutes or hours.
    with translation.override("es"):
        wait = how_long(answer.json()["retry_after"])
    assert answer.json()["error"] == (
        "Demasiados guardados en poco tiempo. Su cambio se conserva aquí y se "
        f"guardará de nuevo en {wait}."
    )
    assert wait.split()[1].rstrip("s") in ["segundo", "minuto", "hora"]


@override_settings(RATE_LIMIT_AUTOSAVE="1/d")
def test_a_step_button_past_the_limit_gets_the_page(member_client, response):
    save(member_client, response, "Area 1")

    answer = member_client.post(
        step_url(response, "organization"), about(response, "Area 2")
    )

    assert_refused_as_page(answer)
    response.refresh_from_db()
    assert response.service_area == "Area 1"


@override_settings(RATE_LIMIT_AUTOSAVE="1/d")
def test_a_stranger_cannot_use_up_a_responses_allowance(
    member_client, outsider_client, response
):
    for _ in range(3):
        assert save(outsider_client, response, "Taken").status_code == 404

    assert save(member_client, response, "Ours").status_code == 200


def search(client, response, query="Eastside", **params):
    url = reverse("surveys:survey_search", args=[response.pk])
    return client.get(url, {"q": query, **params})


@override_settings(RATE_LIMIT_SEARCH="3/d")
def test_partner_search_is_limited_per_response(
    member_client, response, open_round, other_organization
):
    for _ in range(3):
        assert search(member_client, response).status_code == 200

    assert_refused_as_json(search(member_client, response, format="json"))
    fragment = member_client.get(
        reverse("surveys:survey_search", args=[response.pk]),
        {"q": "Eastside"},
        headers={"HX-Request": "true"},
    )
    assert fragment.status_code == 429
    assert fragment.content.decode().startswith('<p class="alert alert-warning')
    page = member_client.get(step_url(response, "partners"), {"q": "Eastside"})
    assert_refused_as_page(page)
    # Without a query the step page is not a search and still opens.
    assert member_client.get(step_url(response, "partners")).status_code == 200

    other = ResponseFactory(round=open_round, organization=other_organization)
    other_client = Client()
    other_client.force_login(MembershipFactory(organization=other_organization).user)
    assert search(other_client, other).status_code == 200


@override_settings(RATE_LIMIT_GUIDE_SEARCH="3/d")
def test_the_public_guide_search_is_limited_per_address(client):
    from guide.models import GuideSettings

    GuideSettings.objects.update_or_create(pk=1, defaults={"is_public": True})
    url = reverse("guide:search")
    for _ in range(3):
        assert client.get(url, {"q": "consent"}).status_code == 200
    # Opening the search page without a query is not a search.
    assert client.get(url).status_code == 200

    assert_refused_as_page(client.get(url, {"q": "consent"}))
    other_address = client.get(url, {"q": "consent"}, REMOTE_ADDR="198.51.100.9")
    assert other_address.status_code == 200


def test_limits_are_read_from_the_environment(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from edn.settings import rate_limit

    monkeypatch.setenv("RATE_LIMIT_AUTOSAVE", "300/5m")
    assert rate_limit("RATE_LIMIT_AUTOSAVE", "120/m") == "300/5m"
    monkeypatch.setenv("RATE_LIMIT_AUTOSAVE", "lots")
    with pytest.raises(ImproperlyConfigured, match="RATE_LIMIT_AUTOSAVE must be"):
        rate_limit("RATE_LIMIT_AUTOSAVE", "120/m")


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    },
    RATE_LIMIT_AUTOSAVE="1/d",
)
def test_an_unreachable_cache_lets_saves_through(member_client, response):
    for number in range(3):
        assert save(member_client, response, f"Area {number}").status_code == 200

    response.refresh_from_db()
    assert response.service_area == "Area 2"


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "1 second"),
        (45, "45 seconds"),
        (90, "90 seconds"),
        (91, "2 minutes"),
        (7200, "120 minutes"),
        (7201, "3 hours"),
        (12660, "4 hours"),
    ],
)
def test_the_wait_is_said_in_seconds_minutes_then_hours(seconds, words):
    assert how_long(seconds) == words
