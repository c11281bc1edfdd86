"""Every page each persona reaches from home, rendered in English, has no Korean text of
its own (issue 12: Korean first, English complete).

Korean that is data — names, addresses, organisations, regions, services, notes — stays
Korean in English pages. The test tells the two apart without marking templates: every
Hangul phrase left on a page must come from a value stored in the database. What remains
is interface text that did not go through the English catalogue.
"""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models

from bokjihub.web.tests.test_crawl import (  # noqa: F401 - fixtures are found by name
    PERSONAS,
    analyst,
    loop_world,
    pages_reached,
)

pytestmark = [pytest.mark.django_db, pytest.mark.accept_loop]

HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
# A phrase: Hangul words with what may stand between them inside one sentence.
PHRASE = re.compile(r"[\uac00-\ud7a3\u3131-\u318e][\uac00-\ud7a3\u3131-\u318e0-9*·\s]*")


class _Text(HTMLParser):
    """The text a reader sees, attribute text a screen reader reads (aria-label, title,
    placeholder, alt) included, one part per text node; scripts, styles and what the page
    marks as Korean on purpose (lang="ko": the language switch's own name) left out."""

    SPOKEN = ("aria-label", "title", "placeholder", "alt")
    VOID = frozenset(("area", "br", "col", "hr", "img", "input", "link", "meta", "source", "wbr"))

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._open: list[bool] = []  # per open element: is its content skipped?

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        skipped = tag in ("script", "style") or attributes.get("lang") == "ko"
        if not skipped and not any(self._open):
            self.parts.extend(v for k, v in attrs if k in self.SPOKEN and v)
        if tag not in self.VOID:
            self._open.append(skipped)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self._open:
            self._open.pop()

    def handle_data(self, data):
        if not any(self._open):
            self.parts.append(data)


def _stored_korean() -> list[str]:
    """Every stored text value with Hangul in it, longest first."""
    values: set[str] = set()
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        for row in model.objects.values_list(*fields) if fields else ():
            values.update(v for v in row if isinstance(v, str) and HANGUL.search(v))
    return sorted(values, key=len, reverse=True)


def _untranslated(text: str, stored: list[str], corpus: str) -> set[str]:
    for value in stored:
        if value in text:
            text = text.replace(value, " ")
    left = set()
    for match in PHRASE.finditer(text):
        phrase = " ".join(match.group().split()).strip(" ·*")
        if phrase and HANGUL.search(phrase) and phrase not in corpus:
            left.add(phrase)
    return left


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_in_english_has_no_korean_outside_data(
    request,
    login,
    loop_world,  # noqa: F811 - a fixture, found by name
    persona,
):
    client = login(request.getfixturevalue(persona))
    client.cookies["django_language"] = "en"
    stored = _stored_korean()
    corpus = "\n".join(stored)
    found: dict[str, set[str]] = {}
    for url, body in pages_reached(client):
        assert '<html lang="en">' in body, url
        parser = _Text()
        parser.feed(body)
        left = set().union(*(_untranslated(part, stored, corpus) for part in parser.parts))
        if left:
            found[url] = left
    report = "\n".join(f"{url}: {sorted(left)}" for url, left in sorted(found.items()))
    assert not found, f"Korean interface text on English pages:\n{report}"
