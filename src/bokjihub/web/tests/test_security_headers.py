"""Response headers (CSP, HSTS, no-store) and pages free of inline script, style and handlers."""

import re
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def _csp(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {
        part.split()[0]: " ".join(part.split()[1:])
        for part in (piece.strip() for piece in policy.split(";"))
        if part
    }


@pytest.mark.accept_privacy
@pytest.mark.parametrize("url_name", ["login", "home"])
def test_every_response_carries_a_csp_without_unsafe_inline(client, url_name):
    response = client.get(reverse(url_name))
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    policy = _csp(response)
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.accept_privacy
def test_authenticated_pages_are_not_stored_by_the_browser(login, officer_dong_a, household_dong_a):
    client = login(officer_dong_a)
    for url in ["/", "/households/", f"/households/{household_dong_a.reference}/"]:
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_static_files_stay_cacheable_for_a_logged_in_user(login, officer_dong_a):
    response = login(officer_dong_a).get("/static/web/bokjihub.css")
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.accept_privacy
@override_settings(SECURE_HSTS_SECONDS=31_536_000)
def test_https_responses_carry_hsts_when_enabled(client):
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"


def test_hsts_is_off_by_default_outside_production(client, settings):
    assert settings.SECURE_HSTS_SECONDS == 0
    assert "Strict-Transport-Security" not in client.get(reverse("login"), secure=True)


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"(href|src|action)\s*=\s*[\"']?\s*javascript:", re.IGNORECASE)


def _assert_csp_clean(page: str, where: str) -> None:
    for name, pattern in [
        ("inline <script>", INLINE_SCRIPT),
        ("style= attribute", STYLE_ATTRIBUTE),
        ("<style> element", STYLE_ELEMENT),
        ("on*= handler", EVENT_HANDLER),
        ("javascript: URL", JAVASCRIPT_URL),
    ]:
        found = pattern.search(page)
        assert found is None, f"{where}: {name}: {page[found.start() : found.start() + 120]}"


@pytest.mark.accept_privacy
def test_login_home_search_and_household_pages_have_no_inline_script_style_or_handler(
    client, login, officer_dong_a, household_dong_a
):
    _assert_csp_clean(client.get(reverse("login")).content.decode(), "login")
    client = login(officer_dong_a)
    pages = {
        "home": "/",
        "search": "/households/?q=김영수",
        "household": f"/households/{household_dong_a.reference}/",
    }
    for where, url in pages.items():
        response = client.get(url, follow=True)
        assert response.status_code == 200, where
        _assert_csp_clean(response.content.decode(), where)
    assert "김영수" in client.get(pages["search"]).content.decode()


def test_the_second_factor_pages_have_no_inline_script_style_or_handler(client, centre_a):
    from bokjihub.orgs.services import membership_grant, user_create
    from bokjihub.web.tests.auth_helpers import post_password

    user = user_create(username="newcomer", password="correct-horse-battery-9")
    membership_grant(user=user, organisation=centre_a, role="welfare_officer")
    post_password(client, "newcomer", "correct-horse-battery-9")
    _assert_csp_clean(client.get(reverse("two_factor_setup")).content.decode(), "setup")


def test_htmx_is_told_not_to_inject_styles_or_evaluate_code(client):
    page = client.get(reverse("login")).content.decode()
    meta = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'>', page)
    assert meta is not None
    import json

    config = json.loads(meta.group(1))
    assert config["includeIndicatorStyles"] is False
    assert config["allowEval"] is False


@pytest.mark.accept_privacy
def test_every_post_form_in_the_templates_carries_a_csrf_token():
    forms = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for form in re.finditer(r"<form\b[^>]*>.*?</form>", text, re.DOTALL | re.IGNORECASE):
            opening = form.group(0).split(">", 1)[0]
            if re.search(r"method\s*=\s*[\"']?post", opening, re.IGNORECASE):
                forms.append((template.name, form.group(0)))
    assert forms, "no POST form found: the scan itself is broken"
    missing = [name for name, form in forms if "{% csrf_token %}" not in form]
    assert missing == []


def test_templates_have_no_inline_script_style_or_handler():
    for template in TEMPLATES.rglob("*.html"):
        _assert_csp_clean(template.read_text(), template.name)
