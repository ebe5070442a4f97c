from django.urls import path

from guide import digest_views, exchange_views, review_views, views

app_name = "guide"

urlpatterns = [
    path("guide/", views.home, name="home"),
    path("guide/search/", views.search, name="search"),
    path("guide/print/", views.print_guide, name="print"),
    path("guide/ours/", views.our_practices, name="our_practices"),
    path("guide/stages/<slug:slug>/", views.stage, name="stage"),
    path("guide/stages/<slug:slug>/print/", views.print_guide, name="print_stage"),
    path("guide/stages/<slug:slug>/edit/", review_views.edit_stage, name="edit_stage"),
    path("guide/entries/<int:pk>/", views.entry, name="entry"),
    path("guide/entries/<int:pk>/mark/", views.mark, name="mark"),
    path("guide/entries/<int:pk>/edit/", review_views.edit_entry, name="edit_entry"),
    path("guide/review/", review_views.review_queue, name="review_queue"),
    path(
        "guide/review/<int:pk>/",
        review_views.review_submission,
        name="review_submission",
    ),
    path("guide/settings/", review_views.change_settings, name="settings"),
    path("exchange/", exchange_views.exchange, name="exchange"),
    path("exchange/new/", exchange_views.new_reflection, name="new_reflection"),
    path("exchange/<int:pk>/", exchange_views.reflection, name="reflection"),
    path(
        "exchange/<int:pk>/edit/",
        exchange_views.edit_reflection,
        name="edit_reflection",
    ),
    path(
        "exchange/<int:pk>/delete/",
        exchange_views.delete_reflection,
        name="delete_reflection",
    ),
    path(
        "exchange/<int:pk>/moderate/",
        exchange_views.moderate_reflection,
        name="moderate_reflection",
    ),
    path("exchange/replies/<int:pk>/", exchange_views.edit_reply, name="edit_reply"),
    path(
        "exchange/replies/<int:pk>/moderate/",
        exchange_views.moderate_reply,
        name="moderate_reply",
    ),
    path("exchange/events/new/", exchange_views.edit_event, name="new_event"),
    path("exchange/events/<int:pk>/", exchange_views.edit_event, name="edit_event"),
    path("exchange/digests/<slug:slug>/", digest_views.digest, name="digest"),
    path(
        "exchange/digests/<slug:slug>/generate/",
        digest_views.generate,
        name="generate_digest",
    ),
    path("exchange/digests/<slug:slug>/send/", digest_views.send, name="send_digest"),
]
