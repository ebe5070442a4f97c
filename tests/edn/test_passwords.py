"""Password rules, changing a password, and setting a new one by e-mail."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OLD = "correct horse 42"
GOOD = "lantern orchard 1987"


@pytest.fixture
def person(db):
    return UserFactory(email="rosa.diaz@northside.example", first_name="Rosa")


@pytest.fixture
def person_client(client, person):
    client.force_login(person)
    return client


def change(client, new, old=OLD):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kq7!Zp2", "This password is too short. It must contain at least 10"),
        ("password123", "This password is too common."),
        ("8305716294", "This password is entirely numeric."),
        ("rosa.diaz@northside", "The password is too similar to the e-mail address."),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(
    person_client, person, password, message
):
    answer = change(person_client, password)

    assert answer.status_code == 200
    assert message in answer.content.decode()
    person.refresh_from_db()
    assert person.check_password(OLD)


def test_a_good_password_is_accepted(person_client, person):
    answer = change(person_client, GOOD)

    assert answer.status_code == 302
    assert answer["Location"] == reverse("password_change_done")
    person.refresh_from_db()
    assert person.check_password(GOOD)
    done = person_client.get(answer["Location"]).content.decode()
    assert "Your password has been changed." in done


def test_a_wrong_old_password_changes_nothing(person_client, person):
    answer = change(person_client, GOOD, old="not my password")

    assert "Your old password was entered incorrectly." in answer.content.decode()
    person.refresh_from_db()
    assert person.check_password(OLD)


def test_changing_a_password_needs_signing_in(client):
    answer = client.get(reverse("password_change"))

    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("login"))


def test_the_signed_in_menu_links_to_changing_the_password(person_client):
    text = person_client.get(reverse("home")).content.decode()

    assert reverse("password_change") in text
    assert "Change password" in text


def ask_reset(client, email):
    return client.post(reverse("password_reset"), {"email": email})


def reset_link(message):
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+)", message.body)[1]


def test_a_reset_e_mail_carries_a_link_that_sets_a_new_password_once(client, person):
    answer = ask_reset(client, person.email)

    assert answer["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [person.email]
    link = reset_link(mail.outbox[0])
    form = client.get(link, follow=True)
    assert form.status_code == 200
    assert "new_password1" in form.content.decode()
    set_url = form.redirect_chain[-1][0]

    done = client.post(set_url, {"new_password1": GOOD, "new_password2": GOOD})

    assert done["Location"] == reverse("password_reset_complete")
    person.refresh_from_db()
    assert person.check_password(GOOD)
    again = client.get(link, follow=True).content.decode()
    assert "This link does not work" in again


def test_a_reset_refuses_a_weak_password_too(client, person):
    ask_reset(client, person.email)
    form = client.get(reset_link(mail.outbox[0]), follow=True)

    answer = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "12345678901", "new_password2": "12345678901"},
    )

    assert "This password is entirely numeric." in answer.content.decode()
    person.refresh_from_db()
    assert person.check_password(OLD)


def test_a_reset_answers_the_same_whether_the_account_exists(client, person):
    known = ask_reset(client, person.email)
    unknown = ask_reset(client, "nobody@northside.example")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    page = client.get(known["Location"]).content.decode()
    assert "If the address you entered belongs to an account" in page


def test_a_deactivated_account_gets_no_reset_e_mail(client, person):
    person.is_active = False
    person.save()

    answer = ask_reset(client, person.email)

    assert answer["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_made_up_reset_link_explains_itself(client, person):
    url = reverse("password_reset_confirm", args=["MQ", "made-up-token"])

    text = client.get(url).content.decode()

    assert "This link does not work" in text
