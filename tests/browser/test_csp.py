"""Every main page works in Chromium under EDN's Content Security Policy.

The policy refuses inline scripts, on*= handlers, <style> blocks, eval and
anything from another host. A page that still needs one of them breaks
quietly in the browser; here it fails: each page is opened as the persona it
is for, and any securitypolicyviolation event or console report of the policy
fails the test. The maps must draw and the behaviours that were once inline
must still work.
"""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from guide.models import Entry, Stage
from network.services import rebuild_round
from organizations.models import Organization
from surveys.demo import DEMO_PASSWORD, STAFF_EMAIL
from surveys.invitation_mail import new_invitation, token_for
from surveys.models import Response, Round
from surveys.steps import STEPS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MEMBER = "contact@old-town-medical-center.example"
# Runs before any script of every page: records what the policy refused, and
# counts print requests instead of opening a dialog headless Chromium lacks.
WATCH = """
window.ednViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.ednViolations.push(
    event.violatedDirective + " blocked " + (event.blockedURI || "inline")
    + " at " + event.sourceFile + ":" + event.lineNumber
  );
});
window.ednPrinted = 0;
window.print = () => { window.ednPrinted += 1; };
"""


@pytest.fixture
def demo(db):
    """Load the demo region and map both of its rounds."""
    call_command("load_demo", "--reset", verbosity=0)
    for round_ in Round.objects.filter(slug__in=["2025", "2026"]):
        rebuild_round(round_.pk, force=True)
    return Round.objects.get(slug="2026")


class Watched:
    """A page whose policy violations and console reports are collected."""

    def __init__(self, page):
        self.page = page
        self.problems = []
        page.context.add_init_script(WATCH)
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.problems.append(f"error: {error}"))

    def console(self, message):
        if "Content Security Policy" in message.text:
            self.problems.append(f"console: {message.text}")

    def visit(self, url):
        """Open a URL, let its scripts run, and record what was refused."""
        response = self.page.goto(url)
        assert response.status < 400, f"{url} answered {response.status}"
        self.page.wait_for_load_state("networkidle")
        self.collect()

    def collect(self):
        where = self.page.url
        violations = self.page.evaluate("window.ednViolations")
        self.problems += [f"{where}: {violation}" for violation in violations]
        self.page.evaluate("window.ednViolations.length = 0")

    def sign_in(self, email):
        self.visit("/accounts/login/")
        self.page.get_by_label("E-mail address").fill(email)
        self.page.get_by_label("Password").fill(DEMO_PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        expect(self.page.get_by_role("button", name="Sign out")).to_be_visible()
        self.collect()

    def assert_map_drew(self, container="body"):
        area = self.page.locator(container)
        expect(area.locator("[data-map-ready='true']")).to_be_attached()
        expect(area.locator("canvas").first).to_be_attached()
        self.collect()


@pytest.fixture
def watched(page):
    return Watched(page)


def test_the_watch_reports_what_the_policy_refuses(watched, db):
    watched.visit("/")
    watched.page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.ran = true";
            document.head.appendChild(script);
        }"""
    )
    watched.page.wait_for_timeout(200)
    watched.collect()

    assert watched.page.evaluate("window.ran === undefined")
    assert any("script-src" in problem for problem in watched.problems)
    assert any(problem.startswith("console:") for problem in watched.problems)


def test_survey_pages_from_an_invitation_keep_to_the_policy(watched, demo):
    answered = Response.objects.filter(round=demo).values("organization")
    organization = demo.roster.exclude(pk__in=answered).order_by("name").first()
    invitation = new_invitation(demo, organization, "contact@invited.example")
    page = watched.page

    watched.visit("/")
    watched.visit(f"/i/{token_for(invitation)}/")
    page.get_by_role("button", name="Continue to the survey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("About your organization")
    # The autosave listens once survey.js has run: type after the load.
    page.wait_for_load_state("load")
    page.get_by_label("Area you serve").fill("North county")
    expect(page.locator("#save-status")).to_have_text("Saved")
    watched.collect()
    response = Response.objects.get(round=demo, organization=organization)
    for step in STEPS:
        watched.visit(step.url(response))
    watched.visit(STEPS[1].url(response))
    page.get_by_label("Find an organization you work with").fill("health")
    expect(
        page.locator("#search-results").get_by_role("listitem").first
    ).to_be_visible()
    watched.collect()

    assert watched.problems == []


def test_staff_pages_keep_to_the_policy_and_maps_draw(watched, demo, screenshot):
    page = watched.page
    watched.sign_in(STAFF_EMAIL)

    for url in [
        "/staff/",
        "/staff/rounds/",
        "/staff/rounds/2026/",
        "/staff/rounds/2026/organizations/",
        "/staff/rounds/2026/coverage/",
        "/staff/rounds/2026/exports/",
    ]:
        watched.visit(url)
    watched.visit("/staff/rounds/2026/map/")
    watched.assert_map_drew()
    watched.visit("/staff/rounds/2026/compare/")
    watched.assert_map_drew()

    watched.visit("/staff/rounds/2026/invitations/")
    choose_all = page.get_by_label("Choose every organization on this page")
    boxes = page.locator("input.edn-choose")
    assert boxes.count() > 1
    choose_all.check()
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    choose_all.uncheck()
    assert not any(boxes.nth(i).is_checked() for i in range(boxes.count()))
    screenshot("invitations")
    watched.collect()

    assert watched.problems == []


def test_guide_and_admin_pages_keep_to_the_policy(watched, demo):
    page = watched.page
    watched.sign_in(STAFF_EMAIL)
    stage = Stage.objects.first()
    entry = Entry.objects.filter(status=Entry.Status.PUBLISHED).first()
    organization = Organization.objects.order_by("name").first()

    for url in [
        "/guide/",
        f"/guide/stages/{stage.slug}/",
        f"/guide/entries/{entry.pk}/",
        "/guide/search/?q=data",
        "/exchange/",
        "/admin/",
        "/admin/organizations/organization/",
        f"/admin/organizations/organization/{organization.pk}/change/",
    ]:
        watched.visit(url)
    watched.visit("/guide/print/")
    page.get_by_role("button", name="Print / save as PDF").click()
    assert page.evaluate("window.ednPrinted") == 1
    watched.collect()

    assert watched.problems == []


def test_member_pages_keep_to_the_policy_and_maps_draw(watched, demo, screenshot):
    page = watched.page
    member = Organization.objects.get(memberships__user__email=MEMBER)
    watched.sign_in(MEMBER)

    watched.visit(f"/my/{member.pk}/?round=2026")
    watched.assert_map_drew("#ego-map")
    picker = page.get_by_label("Round", exact=True)
    picker.select_option("2025")
    page.wait_for_url("**round=2025**")
    expect(picker).to_have_value("2025")
    watched.collect()

    watched.visit(f"/my/{member.pk}/report/?round=2026")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.ednPrinted") == 1
    screenshot("report")
    watched.collect()
    watched.visit("/rounds/2026/explorer/")
    watched.assert_map_drew("#shared-map")
    for url in ["/my/", f"/my/{member.pk}/ties/", f"/my/{member.pk}/data/"]:
        watched.visit(url)

    assert watched.problems == []
