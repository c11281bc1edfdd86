from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's login form with messages that tell a busy officer what to do next."""

    error_messages = {
        "invalid_login": _(
            "아이디 또는 비밀번호가 맞지 않습니다. 대문자·소문자를 확인한 뒤 다시 입력해 주세요."
        ),
        "inactive": _("사용이 중지된 계정입니다. 소속 기관의 시스템 관리자에게 문의해 주세요."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("아이디")
        self.fields["username"].error_messages["required"] = _("아이디를 입력해 주세요.")
        self.fields["password"].label = _("비밀번호")
        self.fields["password"].error_messages["required"] = _("비밀번호를 입력해 주세요.")


class TwoFactorCodeForm(forms.Form):
    """The 6-digit code of an authenticator app (spaces and dashes are tolerated)."""

    code = forms.CharField(
        label=_("인증 코드 6자리"),
        max_length=20,
        error_messages={"required": _("인증 앱에 표시된 6자리 숫자를 입력해 주세요.")},
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].replace("-", " ").split())
        if len(code) != 6 or not code.isascii() or not code.isdigit():
            raise forms.ValidationError(_("인증 코드는 숫자 6자리입니다."))
        return code
