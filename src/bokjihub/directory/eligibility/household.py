"""The household a pre-check reasons about: plain data, no database."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Member:
    age: int  # 만 나이 (international age), the official age since June 2023
    # 장애의 정도가 심한 장애인 (등록); None: not known (severity not recorded, or withheld)
    severe_disability: bool | None = False
    in_school: bool = False
    pregnant: bool = False


@dataclass(frozen=True)
class Household:
    """The first member is the applicant. Money is KRW a month; None means unknown."""

    members: tuple[Member, ...]
    recognised_income: int | None = None  # 소득인정액
    couple: bool = False  # the applicant lives with a spouse (부부가구)
    single_parent: bool = False  # 한부모가족 (or 조손가족)
    crisis: bool = False  # 위기사유 (loss of the earner, illness, fire, eviction, ...)
    # 부양의무자 (a relative of the first degree living apart) over the livelihood limit
    supporter_over_limit: bool | None = None
    # benefits the household already receives: livelihood, medical, housing, education
    receives: frozenset[str] = field(default_factory=frozenset)

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def applicant(self) -> Member:
        return self.members[0]
