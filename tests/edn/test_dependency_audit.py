"""scripts/audit_dependencies.py: found, clean and incomplete audits differ.

pip-audit and PyPI are outside services, so their answers are replaced here
by canned ones; what is tested is how the script reads and reports them.
"""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit_dependencies.py"


@pytest.fixture
def audit_script():
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def answers(module, monkeypatch, dependencies, newest=None):
    """Make pip-audit return `dependencies` and PyPI know `newest` versions."""
    monkeypatch.setattr(
        module, "run_pip_audit", lambda service, timeout: (dependencies, "")
    )
    newest = newest or {}

    def project(name, version, timeout):
        if name not in newest:
            return None, "PyPI project data unreachable"
        latest, vulnerabilities = newest[name]
        if latest != version:
            return None, f"not the newest release ({latest})"
        return vulnerabilities, None

    monkeypatch.setattr(module, "newest_release_vulnerabilities", project)
    monkeypatch.setattr("sys.argv", ["audit_dependencies.py"])


def skipped(name, version):
    reason = (
        f"Dependency not found on PyPI and could not be audited: {name} ({version})"
    )
    return {"name": name, "skip_reason": reason}


def test_every_package_audited_and_none_vulnerable_is_clean(
    audit_script, monkeypatch, capsys
):
    answers(
        audit_script,
        monkeypatch,
        [{"name": "django", "version": "5.2.19", "vulns": []}, skipped("nh3", "0.3.7")],
        newest={"nh3": ("0.3.7", [])},
    )

    assert audit_script.main() == 0
    assert "audit clean: all 2 packages audited" in capsys.readouterr().out


def test_a_known_vulnerability_fails(audit_script, monkeypatch, capsys):
    vulnerability = {"id": "GHSA-xxxx-yyyy-zzzz", "fix_versions": ["5.2.20"]}
    answers(
        audit_script,
        monkeypatch,
        [{"name": "django", "version": "5.2.19", "vulns": [vulnerability]}],
    )

    assert audit_script.main() == 1
    out = capsys.readouterr().out
    assert "VULNERABLE django 5.2.19: GHSA-xxxx-yyyy-zzzz (fixed in 5.2.20)" in out
    assert "audit FAILED" in out


def test_a_vulnerability_in_the_newest_release_found_through_pypi_fails(
    audit_script, monkeypatch, capsys
):
    vulnerability = {"id": "PYSEC-2026-1", "fix_versions": []}
    answers(
        audit_script,
        monkeypatch,
        [skipped("gunicorn", "27.0.1")],
        newest={"gunicorn": ("27.0.1", [vulnerability])},
    )

    assert audit_script.main() == 1
    assert "PYSEC-2026-1 (fixed in no fix yet)" in capsys.readouterr().out


def test_nothing_checked_is_never_reported_clean(audit_script, monkeypatch, capsys):
    answers(
        audit_script,
        monkeypatch,
        [skipped("django", "5.2.19"), skipped("celery", "5.7.0")],
        newest={"django": ("6.1.3", [])},
    )

    assert audit_script.main() == 2
    out = capsys.readouterr().out
    assert "0 of 2 packages audited" in out
    assert "django 5.2.19: not the newest release (6.1.3)" in out
    assert "celery 5.7.0: PyPI project data unreachable" in out
    assert "audit INCOMPLETE" in out
    assert "clean" not in out


def test_a_pip_audit_crash_falls_back_to_the_direct_pins(
    audit_script, monkeypatch, capsys
):
    answers(audit_script, monkeypatch, [])
    monkeypatch.setattr(
        audit_script,
        "run_pip_audit",
        lambda service, timeout: (None, "ConnectionError"),
    )

    assert audit_script.main() == 2
    out = capsys.readouterr().out
    assert "pip-audit failed: ConnectionError" in out
    django = dict(audit_script.direct_pins())["django"]
    assert f"django {django}: PyPI project data unreachable" in out
    assert "audit INCOMPLETE" in out


def test_the_direct_pins_are_read_from_both_requirements_files(audit_script):
    pins = dict(audit_script.direct_pins())

    assert pins["django"]
    assert pins["celery"]  # "celery[redis]==..." loses its extra
    assert pins["pip-audit"]
