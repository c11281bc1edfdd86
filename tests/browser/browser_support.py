"""What every browser test shares: Debian's chromium driven by Playwright's sync API,
logging in through the real pages (password, then the second factor for staff who read
personal data), and watching for Content-Security-Policy refusals."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to
# run next to it without this.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"
)


@pytest.fixture
def screenshot_dir(tmp_path) -> Path:
    folder = Path(os.environ.get("BOKJIHUB_SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def current_code(user) -> str:
    """What the user's authenticator app shows now (the personas have enrolled one)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bokjihub.orgs.services import totp_current_code

    return totp_current_code(TOTPDevice.objects.get(user=user, confirmed=True))


def watch_csp(page, refused: list) -> None:
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )


def log_in(page, base: str, username: str, next_path: str, user=None) -> None:
    """Log in through the login page; `user` given = pass the second factor too."""
    from conftest import TEST_PASSWORD

    page.goto(f"{base}/login/?next={next_path}")
    page.get_by_label("아이디").fill(username)
    page.get_by_label("비밀번호").fill(TEST_PASSWORD)
    page.get_by_role("button", name="로그인").click()
    if user is not None:
        page.wait_for_url("**/login/two-factor/?next=*")
        page.get_by_label("인증 코드 6자리").fill(current_code(user))
        page.get_by_role("button", name="확인").click()
    page.wait_for_url(f"{base}{next_path}")
