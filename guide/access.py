"""Who may read the guide and the exchange, and how posters are named."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import F, OuterRef, Subquery
from django.utils.translation import gettext as _

from guide.models import GuideSettings
from organizations.models import Organization
from surveys.models import Response, Visibility


def is_participant(user):
    """Return whether a person belongs to the network: staff or a member."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.memberships.exists()


def may_read_guide(user):
    return is_participant(user) or GuideSettings.current().is_public


def _guarded(allowed):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not allowed(request.user):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


guide_reader_required = _guarded(may_read_guide)
participant_required = _guarded(is_participant)


def organizations_of(user):
    """Return the organizations a person may act for, by name."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user).order_by("name")


def latest_visibilities(organization_ids):
    """Return {organization id: visibility of its newest response}."""
    newest = Response.objects.filter(organization=OuterRef("pk")).order_by(
        F("round__opens_at").desc(nulls_last=True), "-round__created_at"
    )
    rows = Organization.objects.filter(pk__in=organization_ids).annotate(
        visibility=Subquery(newest.values("visibility")[:1])
    )
    return {o.pk: o.visibility or Visibility.STAFF for o in rows}


def anonymous_name(organization):
    if organization.sector_id:
        return _("%(sector)s organization") % {"sector": organization.sector.name}
    return _("A member organization")


def poster_names(organizations, viewer):
    """Return {organization id: the name this viewer sees on its posts}.

    Organizations that chose to be named appear by name. Anonymous and
    staff-only organizations appear to other participants as "<sector>
    organization"; staff and the organization's own members see the name.
    """
    organizations = [o for o in organizations if o is not None]
    visibility = latest_visibilities([o.pk for o in organizations])
    own = set()
    if viewer.is_authenticated:
        own = set(viewer.memberships.values_list("organization_id", flat=True))
    names = {}
    for organization in organizations:
        shown = (viewer.is_authenticated and viewer.is_staff) or organization.pk in own
        if shown or visibility[organization.pk] == Visibility.NAMED:
            names[organization.pk] = organization.name
        else:
            names[organization.pk] = anonymous_name(organization)
    return names
