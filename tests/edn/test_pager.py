"""The pager under every paged list keeps the address's filters and sort."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def pager(address, **options):
    request = RequestFactory().get(address)
    page = Paginator(range(100), 10).get_page(request.GET.get("page"))
    return render_to_string("pager.html", {"page": page, **options}, request)


def test_links_keep_the_filters_and_change_only_the_page():
    html = pager("/list/?sector=health&sort=-name&page=4", label="Pages")

    assert 'href="?sector=health&amp;sort=-name&amp;page=3"' in html
    assert 'href="?sector=health&amp;sort=-name&amp;page=5"' in html
    assert "Page 4 of 10" in html
    assert 'aria-label="Pages"' in html


def test_first_and_last_pages_have_one_link():
    first = pager("/list/", label="Pages")
    last = pager("/list/?page=10", label="Pages")

    assert "Previous" not in first and 'href="?page=2"' in first
    assert "Next" not in last and 'href="?page=9"' in last


def test_labels_and_anchor_can_be_given():
    html = pager(
        "/list/?page=2", label="Pages of the log", previous="Newer", next="Older"
    )
    ties = pager("/compare/?with=spring&page=2", label="Ties", anchor="#ties")

    assert ">Newer<" in html and ">Older<" in html
    assert 'href="?with=spring&amp;page=3#ties"' in ties


def test_a_single_page_has_no_pager():
    request = RequestFactory().get("/list/")
    page = Paginator(range(5), 10).get_page(1)

    assert render_to_string("pager.html", {"page": page}, request).strip() == ""
