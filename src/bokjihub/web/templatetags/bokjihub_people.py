from django import template

register = template.Library()


@register.filter
def won(amount: int | None) -> str:
    """1234567 → "1,234,567원"."""
    if amount is None:
        return ""
    return f"{amount:,}원"
