"""Write invitation links and the e-mails that carry them."""

import logging
from base64 import urlsafe_b64encode
from datetime import UTC
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from surveys.access import hash_token, new_token
from surveys.models import Invitation, Response, SentEmail

logger = logging.getLogger(__name__)

TOKEN_SALT = "edn.surveys.invitation"


def token_for(invitation):
    """Return the token of an invitation's link.

    The token is an HMAC of the invitation's id and creation time under the
    secret key. The server can write the same link again in a reminder, so
    every e-mail a contact received keeps working; the database holds only the
    token's hash, so a copy of it alone opens nothing.
    """
    created = invitation.created_at.astimezone(UTC).strftime("%Y%m%d%H%M%S%f")
    signature = salted_hmac(
        TOKEN_SALT, f"{invitation.pk}:{created}", algorithm="sha256"
    )
    return urlsafe_b64encode(signature.digest()).rstrip(b"=").decode()


def new_invitation(round_, organization, email):
    """Create an invitation for one contact, with a link signed for it."""
    # The id is part of what is signed, so the row starts with the hash of a
    # throwaway random token that nobody ever receives.
    invitation = Invitation.objects.create(
        round=round_,
        organization=organization,
        email=email,
        token_hash=new_token()[1],
    )
    invitation.token_hash = hash_token(token_for(invitation))
    invitation.save(update_fields=["token_hash"])
    return invitation


def link_for(invitation):
    """Return the absolute address of an invitation's link."""
    token = token_for(invitation)
    if hash_token(token) != invitation.token_hash:
        # The secret key changed since the link was made: the earlier link can
        # no longer be written, so this e-mail carries a new one.
        invitation.token_hash = hash_token(token)
        invitation.save(update_fields=["token_hash"])
        logger.warning("invitation %s got a new link after a key change", invitation.pk)
    path = reverse("surveys:invitation", args=[token])
    return settings.SITE_URL.rstrip("/") + path


def coordinator_address():
    """Return the address people may write to about the survey."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def compose(kind, invitation, sender=None):
    """Return the invitation or reminder e-mail for one invitation, unsent."""
    round_ = invitation.round
    organization = invitation.organization
    context = {
        "organization": organization,
        "round": round_,
        "link": link_for(invitation),
        "closes_at": round_.closes_at,
        "coordinator": sender.email if sender else coordinator_address(),
        "started": Response.objects.filter(
            round=round_, organization=organization
        ).exists(),
    }
    template = "reminder" if kind == SentEmail.Kind.REMINDER else "invitation"
    with translation.override(settings.LANGUAGE_CODE):
        if template == "reminder":
            subject = _("Reminder: the %(round)s partnership survey for %(name)s")
        else:
            subject = _("%(name)s is invited to the %(round)s partnership survey")
        subject = subject % {"round": round_.name, "name": organization.name}
        context["subject"] = subject
        text = render_to_string(f"surveys/email/{template}.txt", context)
        html = render_to_string(f"surveys/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[invitation.email],
        reply_to=[sender.email] if sender and sender.email else None,
    )
    message.attach_alternative(html, "text/html")
    return message
