"""Every page each persona can reach by following links from the home page answers
without a server error, offers a way on, and the links run out (issue 12: the core loop).

A crawler, not a story: breadth-first over same-origin GET links (href), from `/`, with a
visited set and a cap per persona. Forms are not submitted and POST-only actions are not
clicked; the data they would show is built beforehand through the services.
"""

from collections import deque
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.django_db, pytest.mark.accept_loop]

# Problems this crawl found in pages outside the audit app, waiting for their owners:
# (persona, path with query) -> what is wrong. The test fails on any problem not listed
# here, and also when a listed one is gone (so that the list is emptied as they are fixed).
EXPECTED_PROBLEMS: dict[tuple[str, str], str] = {}

PAGES_PER_PERSONA = 400
# Not pages: leaving, assets, the admin (no persona is staff), the partner API (tokens,
# JSON), the language switch (a POST form).
SKIPPED_PREFIXES = ("/logout/", "/static/", "/media/", "/admin/", "/api/", "/i18n/")
PERSONAS = [
    "officer_dong_a",
    "officer_dong_b",
    "gu_case_manager",
    "private_worker_with_consent",
    "private_worker_unlinked",
    "finder",
    "auditor",
    "analyst",
]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _same_origin_path(base: str, href: str) -> str | None:
    """The path and query an href leads to on this site, without its fragment; None for
    another site, a mail or phone link, or a page we do not crawl."""
    if href.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    parts = urlsplit(urljoin(f"http://testserver{base}", href))
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    if parts.path.startswith(SKIPPED_PREFIXES):
        return None
    return urlunsplit(("", "", parts.path, parts.query, ""))


def pages_reached(client, cap: int = PAGES_PER_PERSONA):
    """(path, HTML) of every page reached from home by following links, breadth-first;
    for the tests that look at each page (English text, forms)."""
    queue, seen = deque(["/"]), {"/"}
    while queue and len(seen) <= cap:
        url = queue.popleft()
        response = client.get(url)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        yield url, body
        parser = _Links()
        parser.feed(body)
        for href in parser.hrefs:
            path = _same_origin_path(url, href)
            if path and path not in seen:
                seen.add(path)
                queue.append(path)


@dataclass
class Crawl:
    visited: list[str] = field(default_factory=list)
    problems: dict[tuple[str, str], str] = field(default_factory=dict)
    capped: bool = False


def _crawl(client, persona: str) -> Crawl:
    crawl = Crawl()
    queue, seen = deque(["/"]), {"/"}
    while queue:
        if len(crawl.visited) >= PAGES_PER_PERSONA:
            crawl.capped = True
            break
        url = queue.popleft()
        crawl.visited.append(url)
        response = client.get(url)
        if response.status_code >= 500:
            crawl.problems[(persona, url)] = f"HTTP {response.status_code}"
            continue
        if response.status_code in (301, 302, 303, 307, 308):
            targets = [response["Location"]]
        elif "text/html" in response.get("Content-Type", ""):
            parser = _Links()
            parser.feed(response.content.decode())
            targets = parser.hrefs
        else:
            continue  # a download: nothing to follow
        onward = {path for href in targets if (path := _same_origin_path(url, href))}
        if "text/html" in response.get("Content-Type", "") and not onward - {url}:
            crawl.problems[(persona, url)] = f"dead end (HTTP {response.status_code})"
        for path in sorted(onward - seen):
            seen.add(path)
            queue.append(path)
    return crawl


@pytest.fixture
def analyst(gu_office):
    """The Gu's analyst (orgs.Role.ANALYST): aggregates only, no personal data."""
    from bokjihub.orgs.services import membership_grant, user_create

    user = user_create(username="analyst", password="a-long-test-password-1", display_name="분석")
    membership_grant(
        user=user, organisation=gu_office, role="analyst", started_on=timezone.localdate()
    )
    return user


@pytest.fixture
def loop_world(
    officer_dong_a,
    officer_dong_b,
    gu_case_manager,
    centre_a,
    senior_centre,
    gangdong,
    household_dong_a,
    household_dong_b,
    private_worker_with_consent,
    private_worker_unlinked,
    finder,
    auditor,
    analyst,
):
    """One turn of the loop in Dong A, built through the services: a neighbour's report in
    the inbox, a case with a referral to the senior centre, consents, and access-log rows
    over two months (so the review has months to move between)."""
    from bokjihub.audit.services import access_denied_record
    from bokjihub.audit.tests.helpers import actor, search, view
    from bokjihub.cases.services import case_open
    from bokjihub.finding.services import ReportInput, report_submit
    from bokjihub.referrals.services import referral_send

    report_submit(
        data=ReportInput(
            channel="neighbour",
            concerns=["isolation"],
            subject_name="김영수",
            subject_address="서울특별시 강동구 양재대로 1480 (길동)",
            reporter_kind="anonymous",
        ),
        sigungu=gangdong,
    )
    case = case_open(
        household=household_dong_a,
        lead_organisation=centre_a,
        case_manager=officer_dong_a,
        by=officer_dong_a,
        summary="월세 3개월 체납, 끼니 거름",
    )
    referral_send(
        case=case,
        from_organisation=centre_a,
        by=officer_dong_a,
        to_organisation=senior_centre,
        need_domain="daily_living",
        request_text="주 3회 밑반찬 배달을 부탁드립니다.",
    )
    view(officer_dong_a, household_dong_a, at=timezone.now() - timedelta(days=35))
    view(officer_dong_a, household_dong_a)
    search(gu_case_manager, "김")
    access_denied_record(actor=actor(officer_dong_b), reference=household_dong_a.reference)
    access_denied_record(actor=actor(finder), reference=household_dong_b.reference)
    return case


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_a_persona_reaches_from_home_answers_and_leads_on(
    request, login, loop_world, persona
):
    crawl = _crawl(login(request.getfixturevalue(persona)), persona)

    assert not crawl.capped, f"more than {PAGES_PER_PERSONA} pages: links never run out"
    assert len(crawl.visited) > 1 or (persona, "/") in EXPECTED_PROBLEMS
    expected = {key: why for key, why in EXPECTED_PROBLEMS.items() if key[0] == persona}
    assert crawl.problems == expected
