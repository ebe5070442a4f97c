"""Every response carries the browser protections, and no template needs a
looser Content Security Policy than the one it gets.

The policy allows scripts and style sheets only from EDN's own static files,
so an inline <script>, an on*= handler or a <style> block in a template would
silently stop working in the browser. The scans below fail first.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.edn.access_rules import OK, PERSONAS, RULES
from tests.edn.access_world import build_world
from tests.edn.test_access_rules import address

OUR_APPS = ("organizations", "surveys", "network", "participants", "guide")
REMOTE = re.compile(r"^(https?:|wss?:|\*|//)|\.[a-z]{2,}(:\d+)?(/|$)", re.I)
TEMPLATE_TAG = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)
HANDLER = re.compile(r"<[a-z][^<>]*?\s(on[a-z]+)\s*=", re.I)
STYLE_BLOCK = re.compile(r"<style\b", re.I)
JAVASCRIPT_URL = re.compile(r"""=\s*["']?\s*javascript:""", re.I)
EVAL = re.compile(r"\beval\s*\(|\bnew\s+Function\s*\(|set(Timeout|Interval)\(\s*[\"'`]")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Build the rows behind every URL once, and roll them back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def directives(response):
    """Return the response's Content-Security-Policy as {directive: [sources]}."""
    header = response.headers.get("Content-Security-Policy", "")
    policy = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            policy[words[0]] = words[1:]
    return policy


def assert_protected(response):
    """Assert the headers every EDN response must carry, whatever its kind."""
    policy = directives(response)
    assert policy, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    scripts = policy.get("script-src", policy.get("default-src"))
    assert scripts == ["'self'"], scripts
    for name in ("script-src-elem", "script-src-attr"):
        assert name not in policy or policy[name] in (["'self'"], ["'none'"])
    for name, sources in policy.items():
        assert "'unsafe-eval'" not in sources, name
        if name.startswith("script") or name == "default-src":
            assert "'unsafe-inline'" not in sources, name
        remote = [source for source in sources if REMOTE.search(source)]
        assert remote == [], f"{name} allows {remote}"
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def inline_code(html):
    """Return every inline script, handler, style block or javascript: URL."""
    found = [
        "<script" + attributes + ">"
        for attributes in SCRIPT.findall(html)
        if not re.search(r"\ssrc\s*=", attributes)
        and not re.search(r"""type\s*=\s*["']?application/json""", attributes)
    ]
    found += [match.group(1) + "=" for match in HANDLER.finditer(html)]
    found += ["<style>" for _ in STYLE_BLOCK.findall(html)]
    found += ["javascript:" for _ in JAVASCRIPT_URL.findall(html)]
    return found


def template_files():
    folders = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    folders += [Path(apps.get_app_config(name).path, "templates") for name in OUR_APPS]
    return sorted(
        path
        for folder in folders
        if folder.is_dir()
        for path in folder.rglob("*")
        if path.suffix in (".html", ".svg", ".txt", ".xml")
    )


def test_the_scanner_finds_each_kind_of_inline_code():
    hostile = (
        "<script>alert(1)</script>"
        '<button type="button" onclick="go()">'
        "<select name=x {% if y %}selected{% endif %} onchange=send()>"
        "<style>p{}</style>"
        '<a href="javascript:go()">'
    )
    harmless = (
        '<script src="/static/edn/page.js" defer></script>'
        '<script id="data" type="application/json">{}</script>'
        '<p data-online="yes" title="once=twice">{% blocktranslate with one=x %}'
    )

    assert inline_code(hostile) == [
        "<script>",
        "onclick=",
        "onchange=",
        "<style>",
        "javascript:",
    ]
    assert inline_code(TEMPLATE_TAG.sub("", harmless)) == []


def test_no_template_holds_inline_script_handlers_or_style_blocks():
    files = template_files()
    found = {
        str(path.relative_to(settings.BASE_DIR)): inline_code(
            TEMPLATE_TAG.sub("", path.read_text())
        )
        for path in files
    }

    assert len(files) > 50
    assert {path: code for path, code in found.items() if code} == {}


def test_edn_scripts_never_evaluate_strings():
    scripts = sorted(Path(settings.BASE_DIR, "static/edn").rglob("*.js"))
    found = [str(path) for path in scripts if EVAL.search(path.read_text())]

    assert scripts
    assert found == []


def test_a_page_carries_the_protections(anonymous_client):
    response = anonymous_client.get(reverse("home"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert_protected(response)


def test_json_carries_the_protections(db, world):
    url = reverse("network:round_map_json", args=[world.round.slug])
    response = signed_in(world.users["staff"]).get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert_protected(response)


def test_a_file_download_carries_the_protections(db, world):
    url = reverse("network:round_table_export", args=[world.round.slug, "csv"])
    response = signed_in(world.users["staff"]).get(url)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert_protected(response)


def test_not_found_carries_the_protections(anonymous_client):
    response = anonymous_client.get("/no-such-page/")

    assert response.status_code == 404
    assert_protected(response)


def test_a_refused_form_carries_the_protections_and_no_inline_style(db, world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["member"])

    response = client.post(reverse("logout"))

    assert response.status_code == 403
    assert "The form could not be sent" in response.content.decode()
    assert inline_code(response.content.decode()) == []
    assert_protected(response)


def test_admin_pages_carry_the_protections(db, world):
    client = signed_in(world.users["admin"])
    organization = world.organization
    pages = [
        reverse("admin:index"),
        reverse("admin:organizations_organization_changelist"),
        reverse("admin:organizations_organization_change", args=[organization.pk]),
    ]

    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_protected(response)


GET_ROUTES = [(route, outcomes) for route, method, outcomes in RULES if method == "GET"]


@pytest.mark.parametrize(
    ("route", "outcomes"), GET_ROUTES, ids=[route or "/" for route, _ in GET_ROUTES]
)
def test_every_url_answers_with_the_protections_and_no_inline_code(
    db, world, route, outcomes
):
    persona = next(
        (name for name, got in zip(PERSONAS, outcomes, strict=True) if got == OK),
        "admin",
    )
    client = Client()
    if persona != "anonymous":
        client.force_login(world.users[persona])

    response = client.get(address(route, world))

    assert_protected(response)
    if response["Content-Type"].startswith("text/html"):
        assert inline_code(response.content.decode()) == []
