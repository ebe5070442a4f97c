"""Decide who may answer a response: invitation links and memberships.

An invitation link, once confirmed, puts the response's id in the session;
the token itself never appears in a URL after that. Signed-in members of an
organization reach their organization's responses without a link.
"""

import hashlib
import secrets

from django.http import Http404
from django.shortcuts import get_object_or_404

from surveys.models import Invitation, Response

SESSION_KEY = "survey_invitations"


def new_token():
    """Return a fresh random token and the hash to store for it."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(token):
    """Return the usable invitation a token opens, or None."""
    invitation = (
        Invitation.objects.select_related("round", "organization")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None or not invitation.is_usable:
        return None
    return invitation


def grant_invitation(request, invitation):
    """Let this browser answer the invitation's response; return the response."""
    response, _ = Response.objects.get_or_create(
        round=invitation.round, organization=invitation.organization
    )
    # A new session key, so a link opened on a shared computer cannot be
    # ridden by a session id captured before.
    request.session.cycle_key()
    granted = dict(request.session.get(SESSION_KEY, {}))
    granted[str(response.pk)] = invitation.pk
    request.session[SESSION_KEY] = granted
    return response


def may_answer(request, response):
    """Return whether the request may read and change this response."""
    user = request.user
    if (
        user.is_authenticated
        and user.memberships.filter(organization_id=response.organization_id).exists()
    ):
        return True
    invitation_id = request.session.get(SESSION_KEY, {}).get(str(response.pk))
    if invitation_id is None:
        return False
    invitation = (
        Invitation.objects.select_related("round")
        .filter(
            pk=invitation_id,
            round_id=response.round_id,
            organization_id=response.organization_id,
        )
        .first()
    )
    return invitation is not None and invitation.is_usable


def response_for(request, response_id):
    """Return the response the request may answer, or raise Http404.

    A response the visitor may not answer is reported as missing, so ids
    cannot be probed.

    The answer is kept on the request: the rate limit and the view both ask,
    and an autosave should not read the response and its invitation twice.
    """
    known = request.__dict__.setdefault("_edn_responses", {})
    if str(response_id) in known:
        return known[str(response_id)]
    response = get_object_or_404(
        Response.objects.select_related("round", "organization"), pk=response_id
    )
    if not may_answer(request, response):
        raise Http404("No such response.")
    known[str(response_id)] = response
    return response
