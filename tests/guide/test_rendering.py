"""Text people write is rendered as sanitized Markdown: hostile text is inert."""

import pytest
from django.urls import reverse

from guide.models import Reflection, Reply
from guide.rendering import render_markdown
from tests.guide.setup import published_entry, shared_practice

HOSTILE = (
    "Hello <script>alert('x')</script> "
    '<img src=x onerror="alert(1)"> '
    "[click](javascript:alert(2)) "
    '<a href="javascript:alert(3)">raw</a> '
    "**bold** and [a partner](https://partner.example.org)"
)


def assert_inert(html):
    assert "<script" not in html
    assert "alert(" not in html.replace("alert(&#x27;x&#x27;)", "")
    assert "onerror" not in html
    assert "javascript:" not in html
    assert "<img" not in html


def test_markdown_keeps_emphasis_and_safe_links():
    html = render_markdown(HOSTILE)

    assert "<strong>bold</strong>" in html
    assert 'href="https://partner.example.org"' in html
    assert 'rel="nofollow noopener noreferrer"' in html
    assert_inert(html)


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""


def test_hostile_entry_text_is_inert_in_every_page(member_client, organization):
    practice = shared_practice(organization, text=HOSTILE)
    entry = published_entry(practice, title="<script>alert('t')</script>Title")

    for url in [
        entry.get_absolute_url(),
        reverse("guide:stage", args=[entry.stage.slug]),
        reverse("guide:print"),
        reverse("guide:search") + "?q=Hello",
        reverse("guide:home"),
    ]:
        html = member_client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img" not in html, url
        assert 'href="javascript:' not in html, url


@pytest.mark.parametrize("field", ["reflection", "reply"])
def test_hostile_posts_are_inert(member_client, member, organization, field):
    reflection = Reflection.objects.create(
        author=member,
        organization=organization,
        title="<img src=x onerror=alert(1)>",
        body=HOSTILE if field == "reflection" else "Fine.",
    )
    if field == "reply":
        Reply.objects.create(reflection=reflection, author=member, body=HOSTILE)

    for url in [reflection.get_absolute_url(), reverse("guide:exchange")]:
        html = member_client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert 'href="javascript:' not in html
    assert (
        "<strong>bold</strong>"
        in member_client.get(reflection.get_absolute_url()).content.decode()
    )
