from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def won(amount: int | None) -> str:
    """1234567 → "1,234,567원"."""
    if amount is None:
        return ""
    # The unit goes around the number differently per language (1,234,567원 / ₩1,234,567).
    return _("%(amount)s원") % {"amount": f"{amount:,}"}
