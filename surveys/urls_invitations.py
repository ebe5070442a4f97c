from django.urls import path

from surveys import invitation_views, staff_views

urlpatterns = [
    path("i/<str:token>/", invitation_views.open_invitation, name="invitation"),
    path("staff/rounds/", staff_views.round_list, name="staff_rounds"),
    path(
        "staff/rounds/<slug:slug>/invitations/",
        staff_views.round_invitations,
        name="staff_round_invitations",
    ),
    path(
        "staff/rounds/<slug:slug>/invitations/send/",
        staff_views.send_invitations,
        name="staff_send_invitations",
    ),
    path(
        "staff/rounds/<slug:slug>/reminders/send/",
        staff_views.send_reminders,
        name="staff_send_reminders",
    ),
    path(
        "staff/rounds/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        staff_views.revoke,
        name="staff_revoke_invitation",
    ),
]
