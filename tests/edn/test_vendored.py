"""The vendored browser code is exactly what static/vendor/versions.json records.

Every file under static/vendor/ must be listed there with its SHA-256 (or be
one of the record files themselves), every listed file must exist with that
digest, and each folder's SHA256SUMS must agree. A file edited by hand, added
or lost fails here; scripts/vendor_js.py is how they change.
"""

import hashlib
import json
import re
import shutil
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor"
RECORD_FILES = {"README.md", "versions.json"}


def record(root):
    return json.loads((root / "versions.json").read_text())["packages"]


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def problems(root):
    """Return what is wrong between the files under `root` and its record."""
    found = []
    expected = set(RECORD_FILES)
    for package in record(root):
        folder = package["folder"]
        sums = {}
        for line in (root / folder / "SHA256SUMS").read_text().splitlines():
            digest, path = line.split("  ", 1)
            sums[path] = digest
        expected.add(f"{folder}/SHA256SUMS")
        for name, entry in package["files"].items():
            path = f"{folder}/{name}"
            expected.add(path)
            if not (root / path).is_file():
                found.append(f"missing: {path}")
            elif sha256(root / path) != entry["sha256"]:
                found.append(f"changed: {path}")
            if sums.pop(path, None) != entry["sha256"]:
                found.append(f"SHA256SUMS disagrees: {path}")
        found += [f"SHA256SUMS lists an unrecorded file: {path}" for path in sums]
    on_disk = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    found += [f"not recorded: {path}" for path in sorted(on_disk - expected)]
    return found


def test_the_vendored_files_match_their_record():
    assert problems(VENDOR) == []


def test_each_package_names_its_npm_version_tarball_and_integrity():
    packages = record(VENDOR)
    assert {p["name"] for p in packages} >= {"bootstrap", "htmx.org", "axe-core"}
    for package in packages:
        name, version = package["name"], package["version"]
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), name
        assert package["folder"].endswith(f"-{version}")
        assert package["tarball"] == (
            f"https://registry.npmjs.org/{name}/-/{name}-{version}.tgz"
        )
        assert re.fullmatch(r"sha512-[A-Za-z0-9+/]{86}==", package["integrity"])
        assert package["license"]
        for entry in package["files"].values():
            assert re.fullmatch(r"package/[\w./-]+", entry["from"])
            assert re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])


def tampered_copy(tmp_path):
    root = tmp_path / "vendor"
    shutil.copytree(VENDOR, root)
    return root


def test_a_changed_file_is_caught(tmp_path):
    root = tampered_copy(tmp_path)
    with (root / "htmx-2.0.8" / "htmx.min.js").open("ab") as script:
        script.write(b"\nalert(1)")

    assert problems(root) == ["changed: htmx-2.0.8/htmx.min.js"]


def test_a_missing_file_is_caught(tmp_path):
    root = tampered_copy(tmp_path)
    (root / "sigma-3.0.2" / "sigma.min.js").unlink()

    assert problems(root) == ["missing: sigma-3.0.2/sigma.min.js"]


def test_an_extra_file_is_caught(tmp_path):
    root = tampered_copy(tmp_path)
    (root / "bootstrap-5.3.9" / "extra.js").write_text("console.log(1)")
    (root / "left-over").mkdir()
    (root / "left-over" / "old.js").write_text("")

    assert problems(root) == [
        "not recorded: bootstrap-5.3.9/extra.js",
        "not recorded: left-over/old.js",
    ]


def test_sha256sums_that_disagree_with_the_record_are_caught(tmp_path):
    root = tampered_copy(tmp_path)
    sums = root / "axe-core-4.14.1" / "SHA256SUMS"
    sums.write_text(sums.read_text().replace("2", "3", 1))

    assert problems(root)
