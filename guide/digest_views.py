"""Round digests: read by participants, generated and sent by staff."""

import logging

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from edn.permissions import staff_required
from guide import tasks
from guide.access import participant_required
from guide.digests import DigestError, digest_content, generate_digest
from guide.models import Digest
from surveys.models import Round

logger = logging.getLogger(__name__)


@require_GET
@participant_required
def digest(request, slug):
    digest = Digest.objects.select_related("round").filter(round__slug=slug).first()
    if digest is None:
        raise Http404

    context = {"digest": digest, **digest_content(digest)}
    return render(request, "guide/digest.html", context)


@staff_required
@require_POST
def generate(request, slug):
    round_ = get_object_or_404(Round, slug=slug)

    try:
        generate_digest(round_, request.user)
    except DigestError as error:
        messages.error(request, str(error))
        return redirect("guide:exchange")

    messages.success(request, _("The digest is ready. Read it before sending it."))
    return redirect("guide:digest", slug=slug)


@staff_required
@require_POST
def send(request, slug):
    digest = get_object_or_404(Digest, round__slug=slug)

    transaction.on_commit(
        lambda: tasks.email_round_digest.delay(digest.pk, request.user.pk)
    )
    logger.info("staff %s queued digest %s for e-mail", request.user.pk, digest.pk)

    messages.success(
        request, _("The digest is on its way to every organization's contacts.")
    )
    return redirect("guide:digest", slug=slug)
