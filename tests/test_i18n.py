"""The English interface: language switching, <html lang>, and a complete, compiled catalogue.

The catalogue is locale/en/LC_MESSAGES/django.po (+ the committed django.mo; CI does not compile).
When a check on it fails, run `make messages`, translate the new entries in the .po (empty msgstr
or `#, fuzzy`), and run `make messages` again to compile the .mo.
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.template.base import Variable
from django.templatetags.i18n import BlockTranslateNode, TranslateNode

pytestmark = pytest.mark.anydb

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"
TEMPLATE_DIRS = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
FIX = "run `make messages`, translate the entries listed, then `make messages` again to compile the .mo"

ENGLISH_LABELS = ["Index No.", "Document No.", "Date Published", "Topic", "Genre", "Validity"]
CHINESE_LABELS = ["索引号", "发文字号", "发布日期", "主题分类", "体裁分类", "有效性"]


def html_of(response):
    assert response.status_code == 200
    return response.content.decode()


def html_lang(html):
    return re.search(r"<html lang=\"([^\"]+)\"", html).group(1)


def assert_english(html):
    assert html_lang(html) == "en"
    for label in ENGLISH_LABELS:
        assert f">{label}<" in html, label
    assert ">索引号<" not in html and "跳到主要内容" not in html
    assert "Skip to main content" in html


def assert_chinese(html):
    assert html_lang(html) == "zh-Hans"
    for label in CHINESE_LABELS:
        assert f">{label}<" in html, label
    assert ">Index No.<" not in html and "Skip to main content" not in html


# --- switching language ----------------------------------------------------------------------------


def test_default_is_chinese(portal, client):
    assert_chinese(html_of(client.get("/xxgk/")))


def test_set_language_switches_to_english_and_back(portal, client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/xxgk/"})
    assert response.status_code == 302 and response["Location"] == "/xxgk/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = html_of(client.get("/xxgk/"))
    assert_english(html)
    # The switcher now offers Chinese, and the content (titles) stays Chinese.
    assert 'name="language" value="zh-hans" lang="zh-Hans">简体中文</button>' in html
    assert "济源市财政局关于做好2025年政府采购工作的通知" in html

    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/xxgk/"})
    assert response.status_code == 302 and response["Location"] == "/xxgk/"
    html = html_of(client.get("/xxgk/"))
    assert_chinese(html)
    assert 'name="language" value="en" lang="en">English</button>' in html


def test_accept_language_alone_gives_english(portal, client):
    assert_english(html_of(client.get("/xxgk/", headers={"accept-language": "en-US,en;q=0.9"})))
    assert_chinese(html_of(client.get("/xxgk/", headers={"accept-language": "zh-CN,zh;q=0.9"})))


def test_the_language_cookie_beats_accept_language(portal, client):
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert_chinese(html_of(client.get("/xxgk/", headers={"accept-language": "en"})))


def test_english_pages_render_plural_and_placeholders(portal, client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = html_of(client.get("/xxgk/"))
    count = len([doc for doc in portal.documents if doc.live])
    assert re.search(rf"<strong>{count}</strong> documents? found", html)
    home = html_of(client.get("/"))
    assert html_lang(home) == "en" and "Welcome to the 济源市人民政府 portal" in home


# --- the catalogue file ----------------------------------------------------------------------------


def parse_po(path):
    """The entries of a .po file: msgid, msgid_plural, msgctxt, msgstr (a list), flags, line."""
    entries, entry, key = [], None, None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            entry = None
            continue
        if line.startswith("#~"):  # obsolete
            continue
        if entry is None:
            entry = {"line": number, "flags": set(), "msgctxt": None, "msgstr": []}
            entries.append(entry)
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):  # continuation of the previous keyword's string
            if key == "msgstr":
                entry["msgstr"][-1] += ast.literal_eval(line)
            else:
                entry[key] += ast.literal_eval(line)
        else:
            word, _, text = line.partition(" ")
            key = "msgstr" if word.startswith("msgstr") else word
            if key == "msgstr":
                entry["msgstr"].append(ast.literal_eval(text))
            else:
                entry[key] = ast.literal_eval(text)
    return [entry for entry in entries if "msgid" in entry]


@pytest.fixture(scope="module")
def po_entries():
    assert PO_FILE.exists(), f"{PO_FILE} is missing: {FIX}"
    entries = parse_po(PO_FILE)
    assert entries and entries[0]["msgid"] == "", "the .po file has no header entry"
    return entries


def describe(entry):
    return f"  line {entry['line']}: {entry['msgid']!r}"


def test_po_header_is_not_fuzzy_and_declares_english_plurals(po_entries):
    header = po_entries[0]
    assert "fuzzy" not in header["flags"], f"{PO_FILE}: remove the `#, fuzzy` flag of the header"
    assert "Language: en\n" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"][0]


def test_every_msgid_is_translated_and_not_fuzzy(po_entries):
    bad = [e for e in po_entries[1:] if "fuzzy" in e["flags"] or not all(e["msgstr"])]
    assert not bad, (
        f"{len(bad)} untranslated or fuzzy entries in {PO_FILE.relative_to(settings.BASE_DIR)}; {FIX}:\n"
        + "\n".join(map(describe, bad))
    )


def test_plural_entries_have_both_english_forms(po_entries):
    plurals = [e for e in po_entries[1:] if "msgid_plural" in e]
    assert plurals
    bad = [e for e in plurals if len(e["msgstr"]) != 2]
    assert not bad, "plural entries need msgstr[0] and msgstr[1]:\n" + "\n".join(map(describe, bad))


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def test_translations_keep_the_placeholders(po_entries):
    bad = []
    for entry in po_entries[1:]:
        wanted = set(PLACEHOLDER.findall(entry["msgid"] + entry.get("msgid_plural", "")))
        for text in entry["msgstr"]:
            used = set(PLACEHOLDER.findall(text))
            # A singular form may drop the count ("One result"); nothing else may be lost or invented.
            if used - wanted or (wanted - used and "msgid_plural" not in entry):
                bad.append(entry)
    assert not bad, "placeholders differ between msgid and msgstr:\n" + "\n".join(map(describe, bad))


def test_compiled_catalogue_matches_the_po_file(po_entries):
    """The .mo is committed (CI does not compile): it must be compiled from the current .po."""
    assert MO_FILE.exists(), f"{MO_FILE} is missing: {FIX}"
    with MO_FILE.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    stale = []
    for entry in po_entries[1:]:
        msgid, msgid_plural = entry["msgid"], entry.get("msgid_plural")
        context = entry["msgctxt"]
        if msgid_plural:
            got = [
                catalog.npgettext(context, msgid, msgid_plural, n)
                if context
                else catalog.ngettext(msgid, msgid_plural, n)
                for n in (1, 2)
            ]
        else:
            got = [catalog.pgettext(context, msgid) if context else catalog.gettext(msgid)]
        if got != entry["msgstr"]:
            stale.append(entry)
    message = f"{MO_FILE.name} was not compiled from the current {PO_FILE.name}; {FIX}:\n"
    assert not stale, message + "\n".join(map(describe, stale))


def template_msgids():
    """(msgid, template) for every {% translate %} / {% blocktranslate %} in the theme's templates."""
    engine = engines["django"].engine
    found = []
    for directory in TEMPLATE_DIRS:
        for path in sorted(directory.rglob("*.html")):
            nodelist = engine.from_string(path.read_text(encoding="utf-8")).nodelist
            name = str(path.relative_to(settings.BASE_DIR))
            for node in nodelist.get_nodes_by_type(TranslateNode):
                var = node.filter_expression.var
                if isinstance(var, Variable) and var.literal is not None and not node.noop:
                    found.append((str(var.literal), name))
            for node in nodelist.get_nodes_by_type(BlockTranslateNode):
                singular, _ = node.render_token_list(node.singular)  # as makemessages writes it
                found.append((singular, name))
    return found


def test_every_template_string_is_in_the_po_file(po_entries):
    """Catches a template string added without running `make messages` (it would stay Chinese)."""
    msgids = {e["msgid"] for e in po_entries}
    strings = template_msgids()
    assert len(strings) > 100, "the template scan found too few strings"
    missing = sorted({(msgid, name) for msgid, name in strings if msgid not in msgids})
    assert not missing, (
        f"{len(missing)} template strings are not in {PO_FILE.relative_to(settings.BASE_DIR)}; {FIX}:\n"
        + "\n".join(f"  {name}: {msgid!r}" for msgid, name in missing)
    )
