#!/usr/bin/env python3
"""Audit the pinned Python dependencies for known vulnerabilities.

Runs pip-audit over requirements.txt and requirements-dev.txt, with every
package they pull in. pip-audit counts a package it could not look up as
skipped and still prints "No known vulnerabilities found"; this script never
calls such a run clean. It lists what could not be audited and exits 2.

When pip-audit's service cannot answer for a package (PyPI's per-version
JSON, OSV), the package is looked up once more in PyPI's project JSON, whose
"vulnerabilities" cover the project's newest release only: a pin that is the
newest release is audited from there; an older pin stays "not audited".

Exit status: 0 every package audited and none vulnerable; 1 a known
vulnerability in a pinned package; 2 none found, but some packages could not
be audited (the service was unreachable), so the result is incomplete.
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ["requirements.txt", "requirements-dev.txt"]
PROJECT_JSON = "https://pypi.org/pypi/{name}/json"
PIN = re.compile(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s;#]+)")
SKIPPED_VERSION = re.compile(r"\(([^()\s]+)\)\s*$")


def run_pip_audit(service, timeout):
    """Return (dependencies from pip-audit's JSON, or None, and its error)."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "audit.json"
        command = [sys.executable, "-m", "pip_audit", "--progress-spinner", "off"]
        for name in REQUIREMENTS:
            command += ["-r", str(ROOT / name)]
        command += ["-s", service, "--timeout", str(timeout), "--desc", "off"]
        command += ["-f", "json", "-o", str(output)]
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        if not output.exists() or not output.read_text().strip():
            lines = (done.stderr or done.stdout).strip().splitlines()
            return None, lines[-1] if lines else f"exit status {done.returncode}"
        return json.loads(output.read_text())["dependencies"], ""


def direct_pins():
    """Return [(name, version)] pinned in the requirements files themselves."""
    pins = []
    for name in REQUIREMENTS:
        for line in (ROOT / name).read_text().splitlines():
            match = PIN.match(line.strip())
            if match:
                pins.append((match[1].lower(), match[2]))
    return pins


def newest_release_vulnerabilities(name, version, timeout):
    """Return (vulnerabilities, None) if PyPI can tell for this pin, else (None, why).

    PyPI's project JSON lists the vulnerabilities of the newest release, so
    it answers only when the pin is that release.
    """
    try:
        url = PROJECT_JSON.format(name=name)
        with urllib.request.urlopen(url, timeout=timeout) as reply:
            project = json.load(reply)
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, f"PyPI project data unreachable ({error})"
    newest = project["info"]["version"]
    if newest != version:
        return None, f"not the newest release ({newest}), which is all PyPI covers"
    found = [
        {"id": item["id"], "fix_versions": item.get("fixed_in", [])}
        for item in project.get("vulnerabilities", [])
        if not item.get("withdrawn")
    ]
    return found, None


def audit(service, timeout):
    """Return (vulnerable, audited, not_audited, note) over all packages."""
    dependencies, error = run_pip_audit(service, timeout)
    note = ""
    if dependencies is None:
        note = f"pip-audit failed: {error}; auditing the direct pins only"
        dependencies = [
            {"name": n, "skip_reason": f"pip-audit failed ({v})"}
            for n, v in direct_pins()
        ]
    vulnerable, audited, not_audited, retry = [], [], [], []
    for dependency in dependencies:
        name = dependency["name"]
        if "skip_reason" not in dependency:
            version = dependency["version"]
            audited.append((name, version, "pip-audit"))
            vulnerable += [(name, version, v) for v in dependency["vulns"]]
            continue
        match = SKIPPED_VERSION.search(dependency["skip_reason"])
        if match:
            retry.append((name, match[1]))
        else:
            not_audited.append((name, "?", dependency["skip_reason"]))

    def look_up(pin):
        return pin, newest_release_vulnerabilities(*pin, timeout)

    with ThreadPoolExecutor(max_workers=8) as pool:
        for (name, version), (found, why) in pool.map(look_up, retry):
            if found is None:
                not_audited.append((name, version, why))
                continue
            audited.append((name, version, "PyPI newest release"))
            vulnerable += [(name, version, v) for v in found]
    return vulnerable, audited, not_audited, note


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--service", default="pypi", choices=["pypi", "osv", "esms"])
    parser.add_argument("--timeout", type=int, default=15)
    args = parser.parse_args()

    vulnerable, audited, not_audited, note = audit(args.service, args.timeout)
    if note:
        print(note)
    by_source = {}
    for _, _, source in audited:
        by_source[source] = by_source.get(source, 0) + 1
    total = len(audited) + len(not_audited)
    sources = ", ".join(f"{n} by {source}" for source, n in sorted(by_source.items()))
    print(f"{len(audited)} of {total} packages audited ({sources or 'none'})")
    for name, version, vulnerability in vulnerable:
        fixed = ", ".join(vulnerability["fix_versions"]) or "no fix yet"
        print(f"VULNERABLE {name} {version}: {vulnerability['id']} (fixed in {fixed})")
    if not_audited:
        print(f"NOT AUDITED ({len(not_audited)}):")
        for name, version, why in sorted(not_audited):
            print(f"  {name} {version}: {why}")
    if vulnerable:
        print(f"audit FAILED: {len(vulnerable)} known vulnerabilities")
        return 1
    if not_audited:
        print(
            f"audit INCOMPLETE: no known vulnerabilities in the {len(audited)} "
            f"packages audited, but {len(not_audited)} could not be audited"
        )
        return 2
    print(f"audit clean: all {len(audited)} packages audited, none vulnerable")
    return 0


if __name__ == "__main__":
    sys.exit(main())
