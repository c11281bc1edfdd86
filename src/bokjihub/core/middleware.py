"""Security middleware: the CSP header, session limits, and the second login factor.

Order in settings.MIDDLEWARE: after AuthenticationMiddleware, django_otp's OTPMiddleware
and MessageMiddleware, because these read `request.user`, its `is_verified()` and may
leave a message saying why a session ended.
"""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _

logger = logging.getLogger("bokjihub.security")

# Session keys written at login (see session_stamp_login).
LOGIN_AT_KEY = "bokjihub_login_at"
AUTHORISATION_VERSION_KEY = "bokjihub_authorisation_version"
SECOND_FACTOR_REQUIRED_KEY = "bokjihub_second_factor_required"

# Pages a user who has passed the password but not the second factor may still open.
SECOND_FACTOR_OPEN_URL_NAMES = frozenset(
    {"login", "logout", "two_factor_verify", "two_factor_setup", "set_language"}
)


def login_stamp(user) -> dict[str, object]:
    """What a session must be checked against on every later request: when the login
    happened, the user's authorisation version, and whether the user's roles require the
    second factor (fixed for the session: a change of roles ends it)."""
    from bokjihub.orgs.services import second_factor_required

    return {
        LOGIN_AT_KEY: int(time.time()),
        AUTHORISATION_VERSION_KEY: user.authorisation_version,
        SECOND_FACTOR_REQUIRED_KEY: second_factor_required(user),
    }


def session_stamp_login(request: HttpRequest) -> None:
    request.session.update(login_stamp(request.user))


def _is_static(request: HttpRequest) -> bool:
    return request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/"))


class ContentSecurityPolicyMiddleware:
    """One fixed policy (settings.CONTENT_SECURITY_POLICY) on every response.

    Django 5.2 has no CSP support of its own (6.0 adds it); a static policy without
    nonces needs no more than this.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class SessionSecurityMiddleware:
    """Ends a session past its absolute lifetime or after the user's roles changed, and
    marks every authenticated response uncacheable.

    The idle timeout is Django's own (SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST);
    a deactivated user's session is anonymous at its next request because ModelBackend
    loads inactive users as nobody.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        was_authenticated = request.user.is_authenticated
        if was_authenticated:
            reason = self._reason_to_end(request)
            if reason is not None:
                return self._end_session(request, reason)
        response = self.get_response(request)
        if request.user.is_authenticated and LOGIN_AT_KEY not in request.session:
            # a login that did not pass through our login view (admin, test client)
            session_stamp_login(request)
        if (was_authenticated or request.user.is_authenticated) and not _is_static(request):
            # Personal pages must not stay in a shared office PC's browser cache.
            add_never_cache_headers(response)
        return response

    def _reason_to_end(self, request: HttpRequest) -> str | None:
        session = request.session
        login_at = session.get(LOGIN_AT_KEY)
        if login_at is None:
            session_stamp_login(request)
            return None
        if time.time() - login_at > settings.SESSION_ABSOLUTE_SECONDS:
            return "absolute_timeout"
        if session.get(AUTHORISATION_VERSION_KEY) != request.user.authorisation_version:
            return "authorisation_changed"
        return None

    def _end_session(self, request: HttpRequest, reason: str) -> HttpResponse:
        # The account id, not the name: log lines carry no personal data.
        logger.info("session ended: %s (account #%s)", reason, request.user.pk)
        logout(request)
        messages.info(
            request,
            _("로그인한 지 12시간이 지나 다시 로그인해야 합니다.")
            if reason == "absolute_timeout"
            else _("소속·역할 또는 계정 상태가 바뀌어 다시 로그인해야 합니다."),
        )
        response = _redirect(request, reverse("login"))
        add_never_cache_headers(response)
        return response


class SecondFactorMiddleware:
    """Until the second factor is verified, every page but login, the second-factor
    step, logout, language and static files leads to the second-factor step."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_verify_first(request):
            return _redirect(request, reverse("two_factor_verify"))
        return self.get_response(request)

    def _must_verify_first(self, request: HttpRequest) -> bool:
        user = request.user
        if not user.is_authenticated or not request.session.get(SECOND_FACTOR_REQUIRED_KEY):
            return False
        if user.is_verified() or _is_static(request):
            return False
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True
        return match.url_name not in SECOND_FACTOR_OPEN_URL_NAMES


def _redirect(request: HttpRequest, target: str) -> HttpResponse:
    next_path = request.get_full_path() if request.method == "GET" else ""
    url = f"{target}?{urlencode({'next': next_path})}" if next_path else target
    if request.headers.get("HX-Request") == "true":
        # htmx would swap the login page into the search area; make it a full navigation.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)
