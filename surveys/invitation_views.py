"""The personal invitation link: confirm first, then answer without the token."""

import logging

from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from surveys.access import grant_invitation
from surveys.invitation_mail import coordinator_address
from surveys.invitations import (
    accepts_answers,
    invitation_by_token,
    link_works,
    mark_opened,
)

logger = logging.getLogger(__name__)


@never_cache
@require_http_methods(["GET", "POST"])
def open_invitation(request, token):
    """Show whom the link answers for; on POST, let this browser answer it."""
    invitation = invitation_by_token(token)
    if invitation is None or not link_works(invitation):
        return _unusable(request, invitation)

    mark_opened(invitation)
    if request.method == "GET":
        context = {"invitation": invitation, "round": invitation.round}
        return render(request, "surveys/invitation_confirm.html", context)

    response = grant_invitation(request, invitation)
    logger.info("invitation %s opened response %s", invitation.pk, response.pk)
    return redirect("surveys:survey_start", response.pk)


def _unusable(request, invitation):
    closed_round = None
    if invitation is not None and not accepts_answers(invitation.round):
        closed_round = invitation.round
    context = {"closed_round": closed_round, "coordinator": coordinator_address()}
    return render(request, "surveys/invitation_unusable.html", context, status=404)
