"""Check the load test's outcome in the database, and sum up its timings.

`answer_problems` compares each respondent's stored answers with what the
client last saved; `rebuild_outcome` waits for the round's rebuilds to
settle and says whether the final snapshot covers every submission within
one rebuild of the last one.
"""

import time
from collections import defaultdict
from datetime import timedelta

from network.models import NetworkSnapshot, RoundNetworkState
from surveys.models import Response

DETAIL_FIELDS = ["collaboration_level", "frequency", "data_sharing", "data_agreement"]
FLAGS = ["sends_referrals", "receives_referrals", "wants_to_deepen"]


def percentile(values, share):
    """Return the nearest-rank percentile of values (share in 0..1)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, round(share * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def step_table(respondents):
    """Return rows (step, count, p50, p95, p99, max, 5xx) in milliseconds."""
    timings = defaultdict(list)
    server_errors = defaultdict(int)
    for respondent in respondents:
        for sample in respondent.samples:
            timings[sample.step].append(sample.seconds * 1000)
            if sample.status >= 500:
                server_errors[sample.step] += 1
    rows = []
    for step, values in timings.items():
        rows.append(
            (
                step,
                len(values),
                percentile(values, 0.50),
                percentile(values, 0.95),
                percentile(values, 0.99),
                max(values),
                server_errors[step],
            )
        )
    return rows


def _about_problems(response, saved):
    problems = []
    if str(response.sector_id or "") != str(saved["sector"]):
        problems.append("sector")
    services = {str(pk) for pk in response.services.values_list("pk", flat=True)}
    if services != set(saved["services"]):
        problems.append("services")
    if response.service_area != saved["service_area"]:
        problems.append("service_area")
    if response.size_band != saved["size_band"]:
        problems.append("size_band")
    return problems


def _nomination_problems(response, added, saved):
    problems = []
    rows = list(response.nominations.prefetch_related("services"))
    named = sorted(str(n.partner_id or n.write_in_name) for n in rows)
    if named != sorted(str(a) for a in added):
        problems.append(f"partners {named} != {sorted(str(a) for a in added)}")
    for row in rows:
        prefix = f"n{row.pk}-"
        for name in DETAIL_FIELDS:
            if getattr(row, name) != saved.get(prefix + name):
                problems.append(f"nomination {row.pk} {name}")
        for name in FLAGS:
            if getattr(row, name) != (saved.get(prefix + name) == "on"):
                problems.append(f"nomination {row.pk} {name}")
        for name in ("trust", "value"):
            if str(getattr(row, name) or "") != saved.get(prefix + name):
                problems.append(f"nomination {row.pk} {name}")
        services = {str(s.pk) for s in row.services.all()}
        if services != set(saved.get(prefix + "services", [])):
            problems.append(f"nomination {row.pk} services")
    return problems


def _practice_problems(response, saved):
    problems = []
    rows = list(response.practices.all())
    chosen = {p.suggestion for p in rows if p.suggestion}
    if chosen != set(saved["practices"]):
        problems.append("practices")
    stories = [p for p in rows if not p.suggestion]
    story = saved["story"].strip()
    if (story and len(stories) != 1) or (not story and stories):
        problems.append(f"{len(stories)} stories")
    elif stories and (stories[0].text, stories[0].stage) != (
        story,
        saved["story_stage"],
    ):
        problems.append("story")
    if any(p.consent != saved["consent"] for p in rows):
        problems.append("practice consent")
    return problems


def answer_problems(respondents):
    """Return {respondent number: [problem, ...]} for answers that differ."""
    found = {}
    responses = Response.objects.in_bulk([r.response_id for r in respondents])
    for respondent in respondents:
        problems = []
        response = responses.get(respondent.response_id)
        if response is None or not respondent.submitted:
            found[respondent.number] = ["did not finish"]
            continue
        if response.status != Response.Status.SUBMITTED:
            problems.append("not submitted")
        if response.version != respondent.version:
            problems.append(
                f"version {response.version}, client saw {respondent.version}"
            )
        saved = respondent.saved
        problems += _about_problems(response, saved["organization"])
        problems += _nomination_problems(
            response, respondent.added, saved["partner-details"]
        )
        problems += _practice_problems(response, saved["practices"])
        visibility = saved["visibility"]
        if response.visibility != visibility["visibility"]:
            problems.append("visibility")
        if response.consent_to_contact != (
            visibility.get("consent_to_contact") == "on"
        ):
            problems.append("consent_to_contact")
        if problems:
            found[respondent.number] = problems
    return found


def wait_for_rebuilds(round_, seconds):
    """Wait until the round's network is built and nothing is queued or running."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = RoundNetworkState.objects.filter(round=round_).first()
        if (
            state
            and state.built_generation >= state.generation
            and state.running_since is None
            and state.queued_at is None
        ):
            return state
        time.sleep(1)
    return RoundNetworkState.objects.filter(round=round_).first()


def rebuild_outcome(round_, submissions, seconds):
    """Return a dict describing the rebuilds and the final snapshot."""
    started = time.monotonic()
    state = wait_for_rebuilds(round_, seconds)
    settled = time.monotonic() - started
    snapshots = list(
        NetworkSnapshot.objects.filter(round=round_)
        .order_by("version")
        .values(
            "version",
            "status",
            "generation",
            "responses_count",
            "created_at",
            "timings",
        )
    )
    ready = [s for s in snapshots if s["status"] == NetworkSnapshot.Status.READY]
    last_submission = (
        Response.objects.filter(round=round_, submitted_at__isnull=False)
        .order_by("-submitted_at")
        .values_list("submitted_at", flat=True)
        .first()
    )
    # A rebuild reads the rows before it computes; its snapshot row is
    # written after. Count back the load and compute time to its start.
    for snapshot in ready:
        spent = sum(
            snapshot["timings"].get(k, 0) for k in ("load", "compute", "shared")
        )
        snapshot["started"] = snapshot["created_at"] - timedelta(seconds=spent)
    started_after = [
        s for s in ready if last_submission and s["started"] > last_submission
    ]
    finished_after = [
        s for s in ready if last_submission and s["created_at"] > last_submission
    ]
    final = ready[-1] if ready else None
    return {
        "settled_seconds": settled,
        "generation": state.generation if state else 0,
        "built_generation": state.built_generation if state else 0,
        "rebuilds": state.rebuilds if state else 0,
        "snapshots": len(snapshots),
        "failed": len(snapshots) - len(ready),
        "final_responses": final["responses_count"] if final else 0,
        "final_generation": final["generation"] if final else 0,
        "finished_after_last": len(finished_after),
        "started_after_last": len(started_after),
        "missed_after_last": sum(s["generation"] < submissions for s in finished_after),
        "last_error": state.last_error if state else "",
    }
