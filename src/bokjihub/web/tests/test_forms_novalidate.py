"""Every form a persona meets on the pages reached from home is validated by the server
and shows its errors in the page's language: none leaves it to the browser, whose own
bubbles are English, one at a time, and skipped by screen readers (issue 12, item 10)."""

from html.parser import HTMLParser

import pytest

from bokjihub.web.tests.test_crawl import (  # noqa: F401 - fixtures are found by name
    PERSONAS,
    analyst,
    loop_world,
    pages_reached,
)

pytestmark = [pytest.mark.django_db, pytest.mark.accept_loop]


class _Forms(HTMLParser):
    """POST forms with something to fill in (a button-only form, like the language switch
    or "새 동의 기록", has nothing to validate)."""

    NOT_FILLED = ("hidden", "submit", "button", "reset", "image")

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._current = {**attributes, "fields": 0}
            self.forms.append(self._current)
        elif self._current is not None and (
            tag in ("select", "textarea")
            or (tag == "input" and attributes.get("type", "text") not in self.NOT_FILLED)
        ):
            self._current["fields"] += 1

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_form_a_persona_meets_is_validated_by_the_server(
    request,
    login,
    loop_world,  # noqa: F811 - a fixture, found by name
    persona,
):
    client = login(request.getfixturevalue(persona))
    left = set()
    for url, body in pages_reached(client):
        parser = _Forms()
        parser.feed(body)
        for form in parser.forms:
            posted = form.get("method", "get").lower() == "post" and form["fields"]
            if posted and "novalidate" not in form:
                left.add((url.split("?")[0], form.get("action") or url, form.get("class", "")))
    assert not left, "forms left to the browser's own validation:\n" + "\n".join(
        f"{url} -> {action} ({css})" for url, action, css in sorted(left)
    )
