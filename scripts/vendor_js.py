#!/usr/bin/env python3
"""Vendor the browser packages listed in static/vendor/versions.json.

The record names, for each package, its npm version, tarball, `integrity`
(sha512, as npm reports it) and the files we copy out of the tarball with
their SHA-256. This script is the only way those files should change:

    python scripts/vendor_js.py --check   # download, verify, compare; no writes
    python scripts/vendor_js.py --write   # download, verify, copy, rewrite

To update a package, change its "version" and "folder" in versions.json (and
the "from" paths if the layout moved) and run --write: it asks the npm
registry for the tarball and integrity of that version, refuses a tarball
that does not match, copies the files and rewrites the record and every
folder's SHA256SUMS. tests/edn/test_vendored.py checks the result offline.
"""

import argparse
import base64
import hashlib
import io
import json
import shutil
import sys
import tarfile
import urllib.request
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "static" / "vendor"
RECORD = VENDOR / "versions.json"
REGISTRY = "https://registry.npmjs.org"


def fetch(url):
    with urllib.request.urlopen(url, timeout=60) as reply:
        return reply.read()


def integrity_of(blob):
    """Return npm's integrity string (sha512, base64) for a tarball."""
    return "sha512-" + base64.b64encode(hashlib.sha512(blob).digest()).decode()


def sha256(blob):
    return hashlib.sha256(blob).hexdigest()


def registry_dist(name, version):
    """Return (tarball URL, integrity) the registry publishes for a version."""
    meta = json.loads(fetch(f"{REGISTRY}/{name}/{version}"))
    return meta["dist"]["tarball"], meta["dist"]["integrity"]


def unpack(package):
    """Download the package's tarball, verify it, return {name: bytes} wanted."""
    tarball, integrity = registry_dist(package["name"], package["version"])
    recorded = package.get("integrity")
    if recorded and recorded != integrity:
        sys.exit(f"{package['name']}: the registry's integrity differs from ours")
    blob = fetch(tarball)
    if integrity_of(blob) != integrity:
        sys.exit(f"{package['name']}: the tarball does not match its integrity")
    package["tarball"], package["integrity"] = tarball, integrity
    wanted = {}
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as archive:
        for name, entry in package["files"].items():
            member = archive.extractfile(entry["from"])
            if member is None:
                sys.exit(f"{package['name']}: {entry['from']} is not in the tarball")
            wanted[name] = member.read()
    return wanted


def write_sums(folder, files):
    lines = [f"{files[name]['sha256']}  {folder}/{name}\n" for name in sorted(files)]
    (VENDOR / folder / "SHA256SUMS").write_text("".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="verify, write nothing")
    mode.add_argument("--write", action="store_true", help="copy and record")
    args = parser.parse_args()

    record = json.loads(RECORD.read_text())
    problems = []
    for package in record["packages"]:
        folder = VENDOR / package["folder"]
        for name, blob in unpack(package).items():
            entry = package["files"][name]
            target = folder / name
            if args.write:
                folder.mkdir(parents=True, exist_ok=True)
                target.write_bytes(blob)
                entry["sha256"] = sha256(blob)
            elif not target.exists() or sha256(target.read_bytes()) != sha256(blob):
                problems.append(f"{package['folder']}/{name} differs from npm")
            elif entry["sha256"] != sha256(blob):
                problems.append(f"{package['folder']}/{name}: recorded sha256 wrong")
        if args.write:
            write_sums(package["folder"], package["files"])
        print(f"{package['name']} {package['version']}: {package['integrity']}")

    if args.write:
        kept = {package["folder"] for package in record["packages"]}
        for old in VENDOR.iterdir():
            if old.is_dir() and old.name not in kept:
                shutil.rmtree(old)
        RECORD.write_text(json.dumps(record, indent=2) + "\n")
        print(f"wrote {RECORD.relative_to(VENDOR.parent.parent)}")
    if problems:
        sys.exit("\n".join(problems))
    print("vendored files match their npm tarballs")


if __name__ == "__main__":
    main()
