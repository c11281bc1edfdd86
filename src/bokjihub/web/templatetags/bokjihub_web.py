import datetime
from zoneinfo import ZoneInfo

from django import template
from django.utils.translation import get_language

from bokjihub.web.privacy import mask_rrns

register = template.Library()

SEOUL = ZoneInfo("Asia/Seoul")


def international_age(birth_date: datetime.date, today: datetime.date) -> int:
    """만 나이 (official since June 2023). Someone born on 29 February turns a year older
    on 1 March in common years: the Civil Act ends the year on the last day of February."""
    had_birthday = (today.month, today.day) >= (birth_date.month, birth_date.day)
    return today.year - birth_date.year - (0 if had_birthday else 1)


@register.filter
def age(birth_date: datetime.date | None) -> int | str:
    if birth_date is None:
        return ""
    return international_age(birth_date, datetime.datetime.now(tz=SEOUL).date())


@register.filter
def region_name(region) -> str:
    """The Korean name, or the English one when the page is in English and it is known."""
    if region is None:
        return ""
    if (get_language() or "").startswith("en") and getattr(region, "name_en", ""):
        return region.name_en
    return region.name_ko


@register.filter
def mask_rrn(text: str) -> str:
    return mask_rrns(text or "")
