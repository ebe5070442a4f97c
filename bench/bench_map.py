"""Time the staff map in headless Chromium: first paint, payload size, frames.

Loads the demo region and a synthetic round (bench/synthetic.py) into a
scratch SQLite database, rebuilds their snapshots, serves them with Django's
development server on a free loopback port, and opens each round's map in
Debian's Chromium several times, each in a fresh browser context.

    .venv/bin/python -m bench.bench_map              # demo and 5,000 / 10
    .venv/bin/python -m bench.bench_map 5000:10 10000:10
    .venv/bin/python -m bench.bench_map --again   # reuse the last run's rounds

Prints for each round: organizations and ties; the payload's size as JSON
and gzipped (what is sent); the median and worst time from navigation start
to the map's first frame (`window.ednMap.firstRenderMs`) and the time to
fetch the payload; and frames per second while the camera zooms for two
seconds. The scratch SQLite file in /tmp is deleted and made anew on each
run; never point DATABASE_URL at a database that matters.
"""

import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edn.settings")
os.environ.setdefault("EDN_ENV_FILE", "/dev/null")
SCRATCH = "/tmp/edn-bench-map.sqlite3"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{SCRATCH}")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["DEBUG"] = "true"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from bench.bench_rebuild import populate  # noqa: E402
from network.map_payload import build_map_payload, gzip_payload  # noqa: E402
from network.map_views import ready_snapshot  # noqa: E402
from network.services import rebuild_round  # noqa: E402
from organizations.models import User  # noqa: E402
from surveys.models import Round  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("EDN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOADS = 5
EMAIL, PASSWORD = "bench-map@edn.example", "bench-map-2026"

FRAMES_SCRIPT = """async () => {
  const camera = window.ednMap.renderer.getCamera();
  let frames = 0;
  let running = true;
  const count = () => { frames += 1; if (running) requestAnimationFrame(count); };
  requestAnimationFrame(count);
  const started = performance.now();
  await camera.animate({ratio: 0.25}, {duration: 1000});
  await camera.animate({ratio: 1}, {duration: 1000});
  running = false;
  return frames / ((performance.now() - started) / 1000);
}"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare(sizes):
    """Fill the scratch database; return [(label, round)]."""
    call_command("migrate", verbosity=0)
    call_command("load_demo", reset=True, verbosity=0)
    demo = Round.objects.get(slug="2026")
    rebuild_round(demo.pk, force=True)
    rounds = [("demo 2026", demo)]
    for size, per in sizes:
        started = time.perf_counter()
        round_, _ = populate(size, per)
        rebuild_round(round_.pk, force=True)
        print(f"built {size} organizations in {time.perf_counter() - started:.1f} s")
        rounds.append((f"synthetic {size}", round_))
    User.objects.create_user(EMAIL, PASSWORD, is_staff=True)
    return rounds


def payload_sizes(round_):
    snapshot = ready_snapshot(round_)
    payload = build_map_payload(snapshot)
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    zipped = gzip_payload(payload)
    return len(payload["nodes"]), len(payload["ties"]), len(text), len(zipped)


def sign_in(context, base):
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return context.storage_state()


def webgl_renderer(browser):
    page = browser.new_page()
    name = page.evaluate(
        """() => {
          const gl = document.createElement("canvas").getContext("webgl2");
          const info = gl && gl.getExtension("WEBGL_debug_renderer_info");
          return gl ? gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)
                    : "unavailable";
        }"""
    )
    page.close()
    return name


def measure(browser, base, state, round_):
    """Return first-frame times, payload fetch times and frames per second."""
    firsts, fetches, fps = [], [], None
    for attempt in range(LOADS):
        context = browser.new_context(
            storage_state=state, viewport={"width": 1440, "height": 900}
        )
        page = context.new_page()
        page.goto(f"{base}/staff/rounds/{round_.slug}/map/")
        page.wait_for_selector("[data-map-ready]", state="attached", timeout=60_000)
        firsts.append(page.evaluate("window.ednMap.firstRenderMs"))
        if attempt == 0:
            stages = page.evaluate("window.ednMap.timings")
            print(f"  {round_.name}, first load, milliseconds: {stages}")
        fetches.append(page.evaluate("window.ednMap.loadMs"))
        if attempt == 0:
            fps = page.evaluate(FRAMES_SCRIPT)
        context.close()
    return firsts, fetches, fps


def reuse(sizes):
    """Return the rounds a previous run left in the scratch database."""
    rounds = [("demo 2026", Round.objects.get(slug="2026"))]
    for size, _ in sizes:
        rounds.append((f"synthetic {size}", Round.objects.get(slug=f"bench-{size}")))
    return rounds


def main(sizes, again=False):
    print(f"database: {os.environ['DATABASE_URL']}")
    if again:
        rounds = reuse(sizes)
    else:
        if os.environ["DATABASE_URL"] == f"sqlite:///{SCRATCH}":
            Path(SCRATCH).unlink(missing_ok=True)
        rounds = prepare(sizes)
    rounds = [(label, r, payload_sizes(r)) for label, r in rounds]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
            state = sign_in(browser.new_context(), base)
            print(f"WebGL: {webgl_renderer(browser)}")
            for label, round_, (nodes, ties, raw, zipped) in rounds:
                firsts, fetches, fps = measure(browser, base, state, round_)
                print(
                    f"\n{label}: {nodes} organizations, {ties} ties\n"
                    f"  payload            {raw / 1e6:6.2f} MB JSON, "
                    f"{zipped / 1e6:5.2f} MB gzipped (sent)\n"
                    f"  first map frame    median {statistics.median(firsts):6.0f} ms, "
                    f"worst {max(firsts):6.0f} ms from navigation start "
                    f"({LOADS} loads)\n"
                    f"  payload fetch      median "
                    f"{statistics.median(fetches):6.0f} ms\n"
                    f"  zooming            {fps:5.1f} frames per second"
                )
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    again = "--again" in sys.argv
    arguments = [a for a in sys.argv[1:] if a != "--again"] or ["5000:10"]
    main([tuple(int(x) for x in a.split(":")) for a in arguments], again)
