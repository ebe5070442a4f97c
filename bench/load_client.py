"""Simulated respondents for the survey load test, one thread each.

A respondent does what a person with the e-mailed link does: opens the link
and confirms it, searches for and adds partners, autosaves the answers of
four steps (each save carrying the version the previous one returned) and
submits. Some also save from a stale "second tab" and expect the refusal.
Every request is timed under its step's name; what was last saved is kept
so the database can be checked against it afterwards.

Requests go to 127.0.0.1 only, with the session and CSRF cookies the server
set. Like a browser, a respondent keeps its connection open between
requests (HTTP/1.1 keep-alive); with `keep_alive` off, every request opens a
new connection, the costlier case of a browser whose idle connection closed.
"""

import http.client
import random
import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

VERSION = re.compile(r'name="version" value="(\d+)"')
NOMINATION = re.compile(r'name="n(\d+)-collaboration_level"')
LEVELS = ["communication", "coordination", "collaboration"]
FREQUENCIES = ["", "yearly", "quarterly", "monthly", "weekly"]
SHARING = ["none", "aggregate", "record"]
AGREEMENTS = ["none", "in_progress", "signed"]
SIZES = ["volunteer", "small", "medium", "large", "very_large"]
STAGES = ["planning", "collection", "access", "analysis", "reporting"]
CONSENTS = ["named", "unnamed", "private"]
VISIBILITIES = ["named", "anonymous", "staff"]
AREA = "Northside, Riverbend and the county's eastern townships"
STORY = (
    "Residents chose the three questions our annual count answers, and we "
    "paid them for their time; the report now goes back to them first."
)
STALE_MESSAGE = "changed elsewhere"
PLAN = {"organization": 6, "partner-details": 15, "practices": 6, "visibility": 3}


class Refused(Exception):
    """An answer the respondent did not expect; the respondent stops."""


@dataclass
class Sample:
    step: str
    seconds: float
    status: int


@dataclass
class Respondent:
    number: int
    link: str
    partners: list
    port: int
    choices: dict
    stale_tab: bool
    keep_alive: bool = True
    samples: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    cookies: dict = field(default_factory=dict)
    response_id: int = 0
    version: int = 0
    saved: dict = field(default_factory=dict)
    added: list = field(default_factory=list)
    autosaves: int = 0
    stale_refused: bool | None = None
    submitted: bool = False
    connection: http.client.HTTPConnection | None = None

    # -- HTTP -------------------------------------------------------------
    def request(self, step, method, path, fields=None, headers=None, expect=(200,)):
        body = urlencode(fields or [], doseq=True) if method == "POST" else None
        sent = {"Host": f"127.0.0.1:{self.port}"}
        if not self.keep_alive:
            sent["Connection"] = "close"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        sent.update(headers or {})
        started = time.perf_counter()
        try:
            reply, text = self.exchange(method, path, body, sent)
        except OSError as error:
            self.samples.append(Sample(step, time.perf_counter() - started, 0))
            self.errors.append((self.number, step, 0, repr(error)))
            raise Refused(step) from error
        self.samples.append(Sample(step, time.perf_counter() - started, reply.status))
        for header, value in reply.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if reply.status not in expect:
            self.errors.append((self.number, step, reply.status, text[:200]))
            raise Refused(step)
        return reply, text

    def exchange(self, method, path, body, headers):
        """Send one request and read its answer, on the open connection if any.

        A kept connection the server closed while idle fails before any answer
        arrives; as a browser does, the request is sent once more on a new one.
        """
        reused = self.connection is not None
        if not reused:
            self.connection = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=60
            )
        try:
            self.connection.request(method, path, body=body, headers=headers)
            reply = self.connection.getresponse()
            text = reply.read().decode("utf-8", "replace")
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.hang_up()
            if not reused:
                raise
            return self.exchange(method, path, body, headers)
        except OSError:
            self.hang_up()
            raise
        if not self.keep_alive or reply.will_close:
            self.hang_up()
        return reply, text

    def hang_up(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def page(self, path):
        _reply, text = self.request("page", "GET", path)
        found = VERSION.search(text)
        if found:
            self.version = int(found.group(1))
        return text

    def think(self, low=0.5, high=1.5):
        time.sleep(self.random.uniform(low, high))

    # -- the survey -------------------------------------------------------
    def run(self, arrival):
        self.random = random.Random(self.number)
        time.sleep(max(0.0, arrival - time.monotonic()))
        try:
            self.open_link()
            self.add_partners()
            for step, count in PLAN.items():
                self.answer(step, count)
            self.submit()
        except Refused:
            pass
        finally:
            self.hang_up()

    def open_link(self):
        self.request("invitation_open", "GET", self.link)
        self.think()
        reply, _ = self.request(
            "invitation_confirm", "POST", self.link, [], expect=(302,)
        )
        start = urlsplit(reply.getheader("Location")).path
        self.response_id = int(start.strip("/").split("/")[1])
        reply, _ = self.request("survey_start", "GET", start, expect=(302,))
        self.page(urlsplit(reply.getheader("Location")).path)

    def step_path(self, slug):
        return f"/survey/{self.response_id}/{slug}/"

    def add_partners(self):
        self.think()
        self.page(self.step_path("partners"))
        hx = {"HX-Request": "true"}
        for name, pk in self.partners:
            self.think(0.3, 0.8)
            query = urlencode({"q": name.rsplit(" ", 1)[0][:14], "for": "partners"})
            self.request("search", "GET", f"/survey/{self.response_id}/search/?{query}")
            fields = {"version": self.version, "action": "add", "organization": pk}
            self.request(
                "add_partner", "POST", self.step_path("partners"), fields, hx, (302,)
            )
            self.page(self.step_path("partners"))
            self.added.append(pk)
        name = f"Neighbourhood mutual aid circle number {self.number}"
        fields = {"version": self.version, "action": "write_in", "name": name}
        fields["confirm"] = "1"
        self.request(
            "add_partner", "POST", self.step_path("partners"), fields, hx, (302,)
        )
        self.page(self.step_path("partners"))
        self.added.append(name)

    def answer(self, slug, count):
        """Open a step and autosave it `count` times, one change at a time."""
        self.think()
        text = self.page(self.step_path(slug))
        nominations = [int(pk) for pk in NOMINATION.findall(text)]
        fields = self.first_answers(slug, nominations)
        old_version = self.version
        for save in range(count):
            self.think(0.6, 1.6)
            self.change(slug, fields, nominations, save)
            self.autosave(slug, fields)
            if slug == "partner-details" and self.stale_tab and save == 5:
                self.stale_save(slug, fields, nominations, old_version)

    def autosave(self, slug, fields):
        reply, text = self.request(
            "autosave",
            "POST",
            self.step_path(slug),
            {**fields, "version": self.version},
            {"X-EDN-Autosave": "1"},
        )
        version = int(re.search(r'"version":\s*(\d+)', text).group(1))
        self.version = version
        self.autosaves += 1
        self.saved[slug] = {
            k: list(v) if isinstance(v, list) else v for k, v in fields.items()
        }

    def stale_save(self, slug, fields, nominations, old_version):
        """Save from a tab opened before the last saves: it must be refused."""
        other = dict(fields)
        for pk in nominations:
            other[f"n{pk}-collaboration_level"] = "collaboration"
            other[f"n{pk}-trust"] = "1"
        _reply, text = self.request(
            "stale_save",
            "POST",
            self.step_path(slug),
            {**other, "version": old_version},
            {"X-EDN-Autosave": "1"},
            expect=(409,),
        )
        self.stale_refused = '"stale"' in text and STALE_MESSAGE in text
        if not self.stale_refused:
            self.errors.append((self.number, "stale_save", 409, text[:200]))

    def first_answers(self, slug, nominations):
        pick = self.random.choice
        if slug == "organization":
            return {
                "sector": pick(self.choices["sectors"]),
                "services": [],
                "service_area": "",
                "size_band": pick(SIZES),
            }
        if slug == "partner-details":
            fields = {}
            for pk in nominations:
                prefix = f"n{pk}-"
                fields[prefix + "collaboration_level"] = pick(LEVELS)
                fields[prefix + "frequency"] = pick(FREQUENCIES)
                fields[prefix + "data_sharing"] = pick(SHARING)
                fields[prefix + "data_agreement"] = pick(AGREEMENTS)
                fields[prefix + "services"] = []
                fields[prefix + "trust"] = ""
                fields[prefix + "value"] = ""
            return fields
        if slug == "practices":
            return {
                "practices": [],
                "story": "",
                "story_stage": pick(STAGES),
                "consent": pick(CONSENTS),
            }
        return {"visibility": pick(VISIBILITIES)}

    def change(self, slug, fields, nominations, save):
        """Make the change a person makes between two autosaves."""
        pick = self.random.choice
        if slug == "organization":
            if save < 4:
                fields["service_area"] = AREA[: 14 * (save + 1)]
            else:
                fields["services"] = self.random.sample(self.choices["services"], 2)
                fields["size_band"] = pick(SIZES)
        elif slug == "partner-details":
            prefix = f"n{pick(nominations)}-"
            what = pick(["level", "flag", "flag", "rating", "services", "sharing"])
            if what == "level":
                fields[prefix + "collaboration_level"] = pick(LEVELS)
            elif what == "flag":
                name = prefix + pick(
                    ["sends_referrals", "receives_referrals", "wants_to_deepen"]
                )
                if fields.pop(name, None) is None:
                    fields[name] = "on"
            elif what == "rating":
                fields[prefix + pick(["trust", "value"])] = pick(["", "1", "3", "4"])
            elif what == "services":
                fields[prefix + "services"] = self.random.sample(
                    self.choices["services"], self.random.randint(0, 2)
                )
            else:
                fields[prefix + "data_sharing"] = pick(SHARING)
                fields[prefix + "data_agreement"] = pick(AGREEMENTS)
        elif slug == "practices":
            if save < 3:
                fields["story"] = STORY[: 45 * (save + 1)]
            else:
                fields["practices"] = self.random.sample(self.choices["practices"], 3)
                fields["consent"] = pick(CONSENTS)
        else:
            fields["visibility"] = pick(VISIBILITIES)
            if save == 1:
                fields["consent_to_contact"] = "on"

    def submit(self):
        self.think()
        self.page(self.step_path("review"))
        self.think()
        fields = {"version": self.version, "consent_to_participate": "on"}
        reply, _ = self.request(
            "submit", "POST", self.step_path("review"), fields, expect=(302,)
        )
        self.submitted = True
        self.version += 1
        self.page(urlsplit(reply.getheader("Location")).path)


def run_respondents(respondents, window):
    """Run every respondent, arriving evenly over `window` seconds."""
    start = time.monotonic() + 1
    threads = []
    for index, respondent in enumerate(respondents):
        arrival = start + window * index / max(1, len(respondents))
        thread = threading.Thread(target=respondent.run, args=(arrival,), daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
