"""Round digests: what a closed round changed, written up and e-mailed."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guide.models import Digest, Entry, Reflection
from network.comparison import compare_figures, compare_ties
from network.services import latest_snapshot
from organizations.models import Membership
from surveys.models import Round, SentEmail

logger = logging.getLogger(__name__)

SHOWN_ENTRIES = 8
SHOWN_REFLECTIONS = 3
# Figures a digest reader can follow without a glossary.
DIGEST_FIGURES = (
    ("organizations", "count"),
    ("ties", "count"),
    ("confirmed_share", "share"),
    ("components", "count"),
    ("density", "share"),
)
FIGURE_LABELS = {
    "organizations": gettext_lazy("Organizations in the network"),
    "ties": gettext_lazy("Partnerships (ties)"),
    "confirmed_share": gettext_lazy("Partnerships both sides reported"),
    "components": gettext_lazy("Separate groups (fragments)"),
    "density": gettext_lazy("Density: share of possible ties that exist"),
}


class DigestError(Exception):
    pass


def previous_round(round_):
    earlier = Round.objects.exclude(status=Round.Status.DRAFT).exclude(pk=round_.pk)
    if round_.opens_at:
        earlier = earlier.filter(opens_at__lt=round_.opens_at)
    return earlier.order_by("-opens_at").first()


def generate_digest(round_, by):
    """Create or refresh the digest of a closed round."""
    if round_.status != Round.Status.CLOSED:
        raise DigestError(_("A digest can be generated once the round is closed."))

    now = timezone.now()
    since = round_.opens_at or round_.created_at
    entries = (
        Entry.objects.for_participants()
        .filter(published_at__gte=since, published_at__lte=now)
        .order_by("-published_at")
    )
    reflections = (
        Reflection.objects.filter(is_hidden=False)
        .filter(Q(round=round_) | Q(created_at__gte=since, created_at__lte=now))
        .annotate(reply_count=Count("replies", filter=Q(replies__is_hidden=False)))
        .order_by("-reply_count", "-created_at")
    )
    digest, _created = Digest.objects.update_or_create(
        round=round_,
        defaults={
            "entry_ids": list(entries.values_list("pk", flat=True)),
            "reflection_ids": [r.pk for r in reflections[:SHOWN_REFLECTIONS]],
            "generated_at": now,
            "generated_by": by,
        },
    )
    logger.info(
        "generated digest of round %s: %d entries, %d reflections",
        round_.pk,
        len(digest.entry_ids),
        len(digest.reflection_ids),
    )
    return digest


def network_changes(round_):
    """Return the round's figures against the previous round's, or None."""
    after = latest_snapshot(round_)
    if after is None:
        return None
    earlier = previous_round(round_)
    before = latest_snapshot(earlier) if earlier else None
    key = f"guide:digest-changes:{after.pk}:{before.pk if before else 0}"
    changes = cache.get(key)
    if changes is None:
        changes = _compare(before, after)
        cache.set(key, changes, 60 * 60)
    changes["previous_round"] = earlier
    return changes


def _compare(before, after):
    old_figures = (before.figures.get("reconstructed") or {}) if before else {}
    rows = compare_figures(
        old_figures, after.figures.get("reconstructed") or {}, DIGEST_FIGURES
    )
    for row in rows:
        row["label"] = str(FIGURE_LABELS[row["figure"]])
    ties = None
    if before is not None:
        compared = compare_ties(before.ties, after.ties)
        ties = {
            name: len(compared[name])
            for name in ("new", "lost", "strengthened", "weakened")
        }
        ties["kept"] = compared["kept"]
    return {"figures": rows, "ties": ties}


def digest_content(digest):
    """Return what a reader sees: entries and reflections still visible."""
    entries = Entry.objects.for_participants().filter(pk__in=digest.entry_ids)
    reflections = Reflection.objects.filter(
        pk__in=digest.reflection_ids, is_hidden=False
    ).annotate(reply_count=Count("replies", filter=Q(replies__is_hidden=False)))
    order = {pk: i for i, pk in enumerate(digest.reflection_ids)}
    entries = list(entries.select_related("stage").order_by("-published_at"))
    return {
        "entries": entries[:SHOWN_ENTRIES],
        "more_entries": max(0, len(entries) - SHOWN_ENTRIES),
        "entry_count": len(entries),
        "reflections": sorted(reflections, key=lambda r: order[r.pk]),
        "changes": network_changes(digest.round),
    }


def contact_addresses():
    """Return [(e-mail, organization id)] for every organization's contacts."""
    seen, addresses = set(), []
    for email, organization_id in (
        Membership.objects.filter(role=Membership.Role.CONTACT, user__is_active=True)
        .order_by("user__email", "organization_id")
        .values_list("user__email", "organization_id")
    ):
        if email not in seen:
            seen.add(email)
            addresses.append((email, organization_id))
    return addresses


def email_digest(digest, by):
    """E-mail the digest to every contact; log each message. Return the count."""
    content = digest_content(digest)
    subject = _("What changed in the network: round %(round)s") % {
        "round": digest.round.name
    }
    body = render_to_string(
        "guide/email/digest.txt",
        {
            **content,
            "digest": digest,
            "url": settings.SITE_URL.rstrip("/")
            + reverse("guide:digest", args=[digest.round.slug]),
        },
    )
    sent = 0
    for email, organization_id in contact_addresses():
        send_mail(subject, body, None, [email])
        SentEmail.objects.create(
            kind=SentEmail.Kind.OTHER,
            round=digest.round,
            organization_id=organization_id,
            to=email,
            subject=subject[:200],
            sent_by=by,
        )
        sent += 1
    digest.sent_at = timezone.now()
    digest.sent_count = sent
    digest.save(update_fields=["sent_at", "sent_count"])
    logger.info("e-mailed digest of round %s to %d contacts", digest.round_id, sent)
    return sent
