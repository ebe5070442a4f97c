"""EDN in Spanish: every string the code marks is translated, faithfully.

The catalogue is read as written (locale/es/LC_MESSAGES/django.po) and as
Django serves it (the compiled django.mo beside it). CI also runs
makemessages on a clean clone and fails on any string missing here.
"""

import ast
import gettext
import re

from django.conf import settings
from django.urls import reverse

CATALOGUE = settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%\(\w+\)\.\d+f|%[sd]|\{\w+\}")
TAG = re.compile(r"</?([a-z]+)")


def read_po(path):
    """Entries of a .po file as dicts: msgctxt, msgid, msgid_plural, msgstr
    (a list, one per plural form), and fuzzy."""
    entries, entry, field = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry, field = None, None
            continue
        if line.startswith("#,"):
            entry = entry or {"msgstr": [], "fuzzy": False}
            entry["fuzzy"] = "fuzzy" in line
            continue
        if line.startswith("#"):
            continue
        entry = entry or {"msgstr": [], "fuzzy": False}
        if line.startswith('"'):
            text = ast.literal_eval(line)
            if field == "msgstr":
                entry["msgstr"][-1] += text
            else:
                entry[field] += text
            continue
        keyword, _, quoted = line.partition(" ")
        text = ast.literal_eval(quoted)
        if keyword.startswith("msgstr"):
            field = "msgstr"
            entry["msgstr"].append(text)
        else:
            field = keyword
            entry[keyword] = text
    return [entry for entry in entries if entry.get("msgid")]


ENTRIES = read_po(CATALOGUE / "django.po")


def test_the_catalogue_has_the_strings_of_every_app():
    assert len(ENTRIES) > 1000


def test_every_string_is_translated_and_none_is_a_guess():
    untranslated = [e["msgid"] for e in ENTRIES if not all(e["msgstr"])]
    fuzzy = [e["msgid"] for e in ENTRIES if e["fuzzy"]]

    assert untranslated == []
    assert fuzzy == []


def test_plural_strings_have_all_three_spanish_forms():
    plurals = [e for e in ENTRIES if "msgid_plural" in e]

    assert plurals
    assert [e["msgid"] for e in plurals if len(e["msgstr"]) != 3] == []


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


def test_translations_keep_the_placeholders_and_tags():
    changed = []
    for entry in ENTRIES:
        originals = [entry["msgid"], entry.get("msgid_plural", entry["msgid"])]
        for translation in entry["msgstr"]:
            if placeholders(translation) not in map(placeholders, originals) or (
                sorted(TAG.findall(translation)) != sorted(TAG.findall(entry["msgid"]))
            ):
                changed.append((entry["msgid"], translation))

    assert changed == []


def test_the_compiled_catalogue_is_the_written_one():
    with open(CATALOGUE / "django.mo", "rb") as compiled:
        served = gettext.GNUTranslations(compiled)._catalog

    written = {}
    for entry in ENTRIES:
        key = entry["msgid"]
        if "msgctxt" in entry:
            key = f"{entry['msgctxt']}\x04{key}"
        if "msgid_plural" in entry:
            written.update({(key, n): text for n, text in enumerate(entry["msgstr"])})
        else:
            written[key] = entry["msgstr"][0]
    served.pop("", None)

    assert served == written


def test_pages_beyond_the_survey_speak_spanish(member_client, staff_client):
    spanish = {"accept-language": "es"}

    home = member_client.get(reverse("home"), headers=spanish)
    sign_in = member_client.get(reverse("login"), headers=spanish)
    audit = staff_client.get(reverse("audit:log"), headers=spanish)

    assert "Lo que ofrece EDN" in home.text
    assert "What EDN offers" not in home.text
    assert "¿Olvidó su contraseña?" in sign_in.text
    assert "Registro de auditoría" in audit.text
    assert "Audit log" not in audit.text
