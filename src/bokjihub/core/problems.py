"""The partner API's error answers, shared by every router mounted on it (finding.api's
reports, referrals.api's referrals and webhooks), so that they cannot drift apart:

- `Problem`, the one error shape: `{"detail": …, "errors": {field: message}}`, in Korean;
- `problem()`, an answer of that shape with a status, for a view to return;
- the `Idempotency-Key` rule: printable ASCII without spaces or control characters,
  1 to 80 characters (a UUID fits), and the one 422 that refuses any other key.

This module imports no app: finding.api mounts referrals.api's router, so neither may
import the other for these.
"""

import re

from ninja import Schema, Status

# printable ASCII (0x21-0x7e): no spaces, tabs or other control characters
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,80}")
IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"


class Problem(Schema):
    detail: str
    errors: dict[str, str] = {}


def problem_body(detail: str, errors: dict[str, str] | None = None) -> dict:
    return {"detail": detail, "errors": errors or {}}


def problem(status: int, detail: str, errors: dict[str, str] | None = None) -> Status:
    return Status(status, problem_body(detail, errors))


def idempotency_key_clean(value: str | None) -> str | None:
    """The header's key, trimmed, when it follows the rule; None when it is missing or
    does not (an empty value, a space, tab or control character inside, over 80)."""
    key = (value or "").strip()
    return key if IDEMPOTENCY_KEY.fullmatch(key) else None


def idempotency_key_problem() -> Status:
    return problem(
        422,
        "Idempotency-Key 헤더가 필요합니다.",
        {
            IDEMPOTENCY_KEY_HEADER: "요청마다 새로 만든 고유한 값(공백 없는 영문·숫자 "
            "80자 이내, 예: UUID)을 보내 주세요. 같은 요청을 다시 보낼 때는 같은 값을 "
            "씁니다."
        },
    )
