"""The tabs across the top of every staff page about one round."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()

# URL name, label. A page joins the tabs by being listed here; names that do
# not resolve (an app switched off) are left out rather than breaking the page.
ROUND_TABS = [
    ("network:round_dashboard", _("Overview")),
    ("network:round_map", _("Map")),
    ("network:round_table", _("Organizations")),
    ("network:round_coverage", _("Who is missing")),
    ("network:round_compare", _("Compare rounds")),
    ("surveys:staff_round_invitations", _("Invitations")),
    ("network:round_exports", _("Exports")),
]


@register.inclusion_tag("staff/round_tabs.html", takes_context=True)
def round_tabs(context, round_):
    """Render the breadcrumb and the round's tabs, marking the current one."""
    current = context["request"].resolver_match.view_name
    tabs = []
    for name, label in ROUND_TABS:
        try:
            url = reverse(name, args=[round_.slug])
        except NoReverseMatch:
            continue
        tabs.append({"url": url, "label": label, "active": name == current})
    return {"tabs": tabs, "round": round_}
