"""Invitation and reminder e-mails name a hostile organization as given.

The plain-text part and the subject hold the name exactly (no HTML entities
in a text mail); the HTML part shows it as text.
"""

import pytest

from surveys.invitation_mail import compose, new_invitation
from surveys.models import SentEmail
from tests.factories import OrganizationFactory, RoundFactory
from tests.security.hostile import STORED_NAMES, assert_inert_html


@pytest.mark.parametrize("name", STORED_NAMES)
@pytest.mark.parametrize("kind", [SentEmail.Kind.INVITATION, SentEmail.Kind.REMINDER])
def test_mail_names_the_organization_as_given(db, name, kind):
    organization = OrganizationFactory(name=name)
    invitation = new_invitation(RoundFactory(), organization, "a@x.example")

    message = compose(kind, invitation)

    html, _type = message.alternatives[0]
    assert name in message.subject
    assert name in message.body
    assert_inert_html(html, f"{kind} e-mail")
