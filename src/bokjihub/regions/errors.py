"""Errors raised when an administrative code cannot be resolved on a given day.

Each carries a Korean message for officers (`message`) and an English one for logs
(`message_en`), plus the machine-readable `reason` and, when there is one, the code that
replaced the requested one (`successor_code`).
"""

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionCodeProblem(models.TextChoices):
    MALFORMED = "malformed", _("형식 오류")
    UNKNOWN = "unknown", _("없는 코드")
    ABOLISHED = "abolished", _("폐지된 코드")
    NOT_YET_VALID = "not_yet_valid", _("아직 시행 전인 코드")


@dataclass(frozen=True)
class RegionLevel:
    name_ko: str
    name_en: str
    digits: int


SIDO_LEVEL = RegionLevel("시·도", "Si/Do", 2)
SIGUNGU_LEVEL = RegionLevel("시·군·구", "Si/Gun/Gu", 5)
EMD_LEVEL = RegionLevel("읍·면·동", "Eup/Myeon/Dong", 10)


class RegionCodeError(ValueError):
    def __init__(
        self,
        message: str,
        *,
        message_en: str,
        code: str,
        reason: RegionCodeProblem,
        successor_code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.message_en = message_en
        self.code = code
        self.reason = reason
        self.successor_code = successor_code

    @classmethod
    def malformed(cls, code: str, *, level: RegionLevel) -> "RegionCodeError":
        return cls(
            f"행정구역 코드 '{code}'의 형식이 올바르지 않습니다. "
            f"{level.name_ko} 코드는 숫자 {level.digits}자리입니다.",
            message_en=f"Malformed administrative code '{code}': "
            f"a {level.name_en} code has {level.digits} digits.",
            code=code,
            reason=RegionCodeProblem.MALFORMED,
        )

    @classmethod
    def unknown(cls, code: str) -> "RegionCodeError":
        return cls(
            f"행정구역 코드 '{code}'를 찾을 수 없습니다.",
            message_en=f"Administrative code '{code}' was not found.",
            code=code,
            reason=RegionCodeProblem.UNKNOWN,
        )

    @classmethod
    def abolished(
        cls,
        code: str,
        *,
        name: str,
        on: date,
        successor_code: str | None,
        successor_name: str = "",
        split_into: tuple[str, ...] = (),
    ) -> "RegionCodeError":
        head_ko = f"{name}의 행정구역 코드 '{code}'는 {on.isoformat()}에 폐지되었습니다."
        head_en = f"Administrative code '{code}' ({name}) was abolished on {on.isoformat()}."
        if successor_code:
            tail_ko = f" 새 코드: '{successor_code}' ({successor_name})"
            tail_en = f" New code: '{successor_code}' ({successor_name})"
        elif split_into:
            listed = ", ".join(split_into)
            tail_ko = f" 1:1로 이어지는 새 코드가 없습니다. 다음 지역으로 나뉘었습니다: {listed}"
            tail_en = f" There is no 1:1 successor; it was split into: {listed}"
        else:
            tail_ko = " 1:1로 이어지는 새 코드가 없습니다."
            tail_en = " There is no 1:1 successor."
        return cls(
            head_ko + tail_ko,
            message_en=head_en + tail_en,
            code=code,
            reason=RegionCodeProblem.ABOLISHED,
            successor_code=successor_code,
        )

    @classmethod
    def not_yet_valid(
        cls, code: str, *, name: str, as_of: date, valid_from: date
    ) -> "RegionCodeError":
        return cls(
            f"{name}의 행정구역 코드 '{code}'는 {as_of.isoformat()}에는 아직 쓰이지 않았습니다 "
            f"({valid_from.isoformat()}부터 시행).",
            message_en=f"Administrative code '{code}' ({name}) was not yet in use on "
            f"{as_of.isoformat()} (valid from {valid_from.isoformat()}).",
            code=code,
            reason=RegionCodeProblem.NOT_YET_VALID,
        )
