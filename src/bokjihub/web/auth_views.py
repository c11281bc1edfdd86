"""Login in two steps: the password (with lockout), then the authenticator app's code.

Staff whose role reads personal data, and admin-site users, must pass the second step
before any other page opens (core.middleware.SecondFactorMiddleware). A user without a
confirmed device enrols one on first login: the page shows the secret and the otpauth
URI as text, to be typed or pasted into an authenticator app.
"""

import logging

import django_otp
from django.conf import settings
from django.contrib.auth import views as django_auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import DEVICE_ID_SESSION_KEY

from bokjihub.core.middleware import SECOND_FACTOR_REQUIRED_KEY, session_stamp_login
from bokjihub.orgs.models import User
from bokjihub.orgs.services import (
    totp_device_confirmed,
    totp_enrolment_confirm,
    totp_enrolment_start,
    totp_secret_base32,
)
from bokjihub.web.forms import LoginForm, TwoFactorCodeForm

logger = logging.getLogger("bokjihub.security")


class LoginView(django_auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm

    def form_valid(self, form):
        super().form_valid(form)
        # A fresh password login asks for a fresh second factor.
        self.request.session.pop(DEVICE_ID_SESSION_KEY, None)
        session_stamp_login(self.request)
        next_url = self.get_success_url()
        if not self.request.session[SECOND_FACTOR_REQUIRED_KEY]:
            return HttpResponseRedirect(next_url)
        step = "two_factor_verify" if totp_device_confirmed(form.get_user()) else "two_factor_setup"
        return _to(step, next_url)


def _to(url_name: str, next_url: str) -> HttpResponse:
    return HttpResponseRedirect(f"{reverse(url_name)}?{urlencode({'next': next_url})}")


def _next_url(request: HttpRequest) -> str:
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return next_url
    return reverse(settings.LOGIN_REDIRECT_URL)


def _second_factor_passed(request: HttpRequest, device) -> HttpResponse:
    django_otp.login(request, device)
    # The session now carries more privilege: give it a new id (session fixation).
    request.session.cycle_key()
    logger.info("second factor verified (account #%s)", request.user.pk)
    return HttpResponseRedirect(_next_url(request))


@sensitive_post_parameters("code")
@never_cache
@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():
        return HttpResponseRedirect(_next_url(request))
    device = totp_device_confirmed(request.user)
    if device is None:
        return _to("two_factor_setup", _next_url(request))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if django_otp.verify_token(request.user, device.persistent_id, form.cleaned_data["code"]):
            return _second_factor_passed(request, device)
        logger.warning("second factor refused: wrong code (account #%s)", request.user.pk)
        form.add_error("code", _wrong_code_message(device))
    return render(request, "web/two_factor_verify.html", {"form": form, "next": _next_url(request)})


@sensitive_post_parameters("code")
@never_cache
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    if totp_device_confirmed(request.user) is not None:
        return _to("two_factor_verify", _next_url(request))
    device = totp_enrolment_start(user=request.user)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp_enrolment_confirm(device=device, token=form.cleaned_data["code"]):
            device.refresh_from_db()
            logger.info("second factor enrolled (account #%s)", request.user.pk)
            return _second_factor_passed(request, device)
        form.add_error("code", _wrong_code_message(device))
    context = {
        "form": form,
        "next": _next_url(request),
        "secret": totp_secret_base32(device),
        "config_url": device.config_url,
    }
    return render(request, "web/two_factor_setup.html", context)


def _wrong_code_message(device) -> str:
    # django-otp doubles the wait after each wrong code (1 s, 2 s, 4 s, …): say so once it
    # starts to matter, since a right code is refused too while the wait lasts.
    device.refresh_from_db()
    if device.throttling_failure_count >= 3:
        return _(
            "인증 코드를 여러 번 잘못 입력했습니다. "
            "잠시 기다린 뒤 인증 앱의 새 코드를 입력해 주세요."
        )
    return _(
        "인증 코드가 맞지 않습니다. 인증 앱에 지금 표시된 6자리 숫자를 입력해 주세요. "
        "휴대전화의 시각이 맞는지도 확인해 주세요."
    )


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """django-axes calls this for the attempt that locks an account and for every attempt
    while it stays locked: the login page again, saying what happened and what to do."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    logger.warning("login refused: %s is locked", client_for_log(username))
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "비밀번호를 %(limit)d번 연속 잘못 입력해 이 계정이 잠겼습니다. "
        "%(minutes)d분 뒤에 다시 로그인하거나, "
        "소속 기관의 시스템 관리자에게 잠금 해제를 요청하세요."
    ) % {"limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    form = LoginForm(request, initial={"username": username})
    context = {"form": form, "lockout_message": message, "next": _next_url(request)}
    return render(request, "web/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


def client_for_log(username, ip_address=None, user_agent=None, path_info=None, request=None):
    """How django-axes names a client in its log lines: by account id only."""
    account_id = (
        User.objects.filter(username=username).values_list("pk", flat=True).first()
        if username
        else None
    )
    return f"account #{account_id}" if account_id else "an unknown account"
