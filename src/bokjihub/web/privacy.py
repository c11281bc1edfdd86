"""Keeping a full resident registration number out of what a page sends back.

An officer may type a whole RRN into the search box (an exact lookup). The number then
sits in the GET query, and a page that echoes its own address (the language and
membership forms' "next", the search box's value) would print it. Everything echoed goes
through mask_rrns first; the shown part (birth date and sex digit) is what lists show anyway.
"""

import re

# 6 digits, an optional separator as typed or URL-encoded, the sex digit, 6 more digits.
_FULL_RRN = re.compile(r"(?<!\d)(\d{6})(-|\+|%20| )?(\d)\d{6}(?!\d)")


def mask_rrns(text: str) -> str:
    return _FULL_RRN.sub(lambda match: f"{match.group(1)}-{match.group(3)}******", text)


def contains_full_rrn(text: str) -> bool:
    return bool(_FULL_RRN.search(text))
