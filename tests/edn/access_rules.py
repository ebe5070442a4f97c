"""Who may open each URL of the project: one row per URL pattern.

Each row names the route, whether it takes GET (pages, JSON, files) or only
POST (actions), and what each persona gets: the member's organization is the
one the URL concerns (its response, its page); the outsider is a member of
another organization in the same round; staff have is_staff without being
superusers; admin is a superuser. The admin site is one rule of its own in
test_access_rules.py.
"""

OK = "allowed"  # 2xx, or a 3xx that does not go to sign in
LOGIN = "sent to sign in"  # 302 to the login page
DENIED = "refused"  # 403
MISSING = "not found"  # 404, so the URL does not reveal what exists

PERSONAS = ("anonymous", "member", "outsider", "staff", "admin")

EVERYONE = (OK, OK, OK, OK, OK)
STAFF_ONLY = (LOGIN, DENIED, DENIED, OK, OK)
PARTICIPANTS = (LOGIN, OK, OK, OK, OK)
OWN_ORGANIZATION = (LOGIN, OK, MISSING, OK, OK)
OWN_RESPONSE = (MISSING, OK, MISSING, MISSING, MISSING)
MEMBERS_ONLY = (LOGIN, OK, OK, DENIED, DENIED)
AUTHOR_ONLY = (LOGIN, OK, DENIED, DENIED, DENIED)

# (route, method, outcomes for PERSONAS)
RULES = [
    ("", "GET", EVERYONE),
    ("healthz", "GET", EVERYONE),
    ("accounts/login/", "GET", EVERYONE),
    ("accounts/logout/", "POST", EVERYONE),
    ("accounts/password/", "GET", PARTICIPANTS),
    ("accounts/password/done/", "GET", PARTICIPANTS),
    ("accounts/password/reset/", "GET", EVERYONE),
    ("accounts/password/reset/done/", "GET", EVERYONE),
    # A made-up link: the page says it does not work.
    ("accounts/password/reset/<uidb64>/<token>/", "GET", EVERYONE),
    ("accounts/password/reset/complete/", "GET", EVERYONE),
    ("i18n/setlang/", "GET", EVERYONE),
    # Survey: the link confirms, then the response opens for its organization.
    ("i/<str:token>/", "GET", EVERYONE),
    ("survey/", "GET", PARTICIPANTS),
    ("survey/<int:response_id>/", "GET", OWN_RESPONSE),
    ("survey/<int:response_id>/search/", "GET", OWN_RESPONSE),
    ("survey/<int:response_id>/submitted/", "GET", OWN_RESPONSE),
    ("survey/<int:response_id>/<slug:step>/", "GET", OWN_RESPONSE),
    # Staff pages of a round.
    ("staff/", "GET", STAFF_ONLY),
    ("staff/rounds/", "GET", STAFF_ONLY),
    ("staff/rounds/<slug:slug>/", "GET", STAFF_ONLY),
    ("staff/rounds/<slug:slug>/invitations/", "GET", STAFF_ONLY),
    ("staff/rounds/<slug:slug>/invitations/send/", "POST", STAFF_ONLY),
    ("staff/rounds/<slug:slug>/reminders/send/", "POST", STAFF_ONLY),
    (
        "staff/rounds/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        "POST",
        STAFF_ONLY,
    ),
    ("staff/rounds/<slug:slug>/map/", "GET", STAFF_ONLY),
    ("staff/rounds/<slug:slug>/map.json", "GET", STAFF_ONLY),
    ("staff/rounds/<slug:slug>/rebuild-state/", "GET", STAFF_ONLY),
    ("staff/rounds/<slug:slug>/rebuild/", "POST", STAFF_ONLY),
    ("staff/rounds/<slug:slug>/organizations/", "GET", STAFF_ONLY),
    ("staff/rounds/<slug:slug>/organizations/export.<str:format>", "GET", STAFF_ONLY),
    ("staff/rounds/<slug:slug>/coverage/", "GET", STAFF_ONLY),
    ("staff/rounds/<slug:slug>/coverage/write-ins/merge/", "POST", STAFF_ONLY),
    ("staff/rounds/<slug:slug>/coverage/write-ins/create/", "POST", STAFF_ONLY),
    ("staff/rounds/<slug:slug>/compare/", "GET", STAFF_ONLY),
    ("staff/rounds/<slug:slug>/compare/<slug:other_slug>.json", "GET", STAFF_ONLY),
    ("staff/rounds/<slug:slug>/exports/", "GET", STAFF_ONLY),
    (
        "staff/rounds/<slug:slug>/exports/<str:variant>/<str:format>/",
        "GET",
        STAFF_ONLY,
    ),
    # Participants: their organization's pages, the round's shared map.
    ("my/", "GET", PARTICIPANTS),
    ("my/<int:organization_id>/", "GET", OWN_ORGANIZATION),
    ("my/<int:organization_id>/ego.json", "GET", OWN_ORGANIZATION),
    ("my/<int:organization_id>/report/", "GET", OWN_ORGANIZATION),
    ("my/<int:organization_id>/report.pdf", "GET", OWN_ORGANIZATION),
    ("my/<int:organization_id>/ties/", "GET", OWN_ORGANIZATION),
    ("my/<int:organization_id>/data/", "GET", OWN_ORGANIZATION),
    ("my/<int:organization_id>/data.<str:kind>", "GET", OWN_ORGANIZATION),
    ("my/<int:organization_id>/withdraw/", "POST", OWN_ORGANIZATION),
    ("rounds/<slug:slug>/explorer/", "GET", PARTICIPANTS),
    ("rounds/<slug:slug>/explorer.json", "GET", PARTICIPANTS),
    # Guide: read by participants, written by staff.
    ("guide/", "GET", PARTICIPANTS),
    ("guide/search/", "GET", PARTICIPANTS),
    ("guide/print/", "GET", PARTICIPANTS),
    ("guide/ours/", "GET", MEMBERS_ONLY),
    ("guide/stages/<slug:slug>/", "GET", PARTICIPANTS),
    ("guide/stages/<slug:slug>/print/", "GET", PARTICIPANTS),
    ("guide/stages/<slug:slug>/edit/", "GET", STAFF_ONLY),
    ("guide/entries/<int:pk>/", "GET", PARTICIPANTS),
    # Staff belong to no organization, so there is none to mark for.
    ("guide/entries/<int:pk>/mark/", "POST", (LOGIN, OK, OK, MISSING, MISSING)),
    ("guide/entries/<int:pk>/edit/", "GET", STAFF_ONLY),
    ("guide/review/", "GET", STAFF_ONLY),
    ("guide/review/<int:pk>/", "GET", STAFF_ONLY),
    ("guide/settings/", "POST", STAFF_ONLY),
    # Exchange: members post and edit their own; staff moderate.
    ("exchange/", "GET", PARTICIPANTS),
    ("exchange/new/", "GET", MEMBERS_ONLY),
    ("exchange/<int:pk>/", "GET", PARTICIPANTS),
    ("exchange/<int:pk>/edit/", "GET", AUTHOR_ONLY),
    ("exchange/<int:pk>/delete/", "GET", AUTHOR_ONLY),
    ("exchange/<int:pk>/moderate/", "POST", STAFF_ONLY),
    ("exchange/replies/<int:pk>/", "GET", AUTHOR_ONLY),
    ("exchange/replies/<int:pk>/moderate/", "POST", STAFF_ONLY),
    ("exchange/events/new/", "GET", STAFF_ONLY),
    ("exchange/events/<int:pk>/", "GET", STAFF_ONLY),
    ("exchange/digests/<slug:slug>/", "GET", PARTICIPANTS),
    ("exchange/digests/<slug:slug>/generate/", "POST", STAFF_ONLY),
    ("exchange/digests/<slug:slug>/send/", "POST", STAFF_ONLY),
    # Audit log of staff actions on data.
    ("staff/audit/", "GET", STAFF_ONLY),
    ("staff/audit/audit.csv", "GET", STAFF_ONLY),
]
