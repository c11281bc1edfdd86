"""How much text each field of the case pages takes, and the one message that says so.

The limits are documented here and enforced on the server (the forms, and the services
for what other callers write too); the page shows them with a live counter
(cases/static/cases/case_page.js reads `data-maxlength`). No `maxlength` attribute goes
to the browser: it would silently cut a pasted note instead of saying how much is over.

- a case note (사례 기록): 4,000 characters — a long visit report fits; a pasted
  document does not belong in a note;
- an assessment summary, a conference decision, visit observations, an unmet need,
  a reopening reason, a handover note, a plan goal or its resources: 2,000;
- the reason for closing a case that has not passed the closure checks: 200, so that it
  stands on the timeline in full;
- one-line fields (a memo beside a move, a task, a visit's purpose): 200;
- a conference title: 120 (the column's size).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NOTE_MAX = 4000
TEXT_MAX = 2000
OVERRIDE_REASON_MAX = 200
LINE_MAX = 200
TITLE_MAX = 120


def limit_message(limit: int, length: int) -> str:
    """ "4,000자 이내로 적어 주세요 (지금 20,000자)"."""
    return _("%(limit)s자 이내로 적어 주세요 (지금 %(length)s자)") % {
        "limit": f"{limit:,}",
        "length": f"{length:,}",
    }


def check_length(field: str, text: str, limit: int) -> None:
    """ValidationError on `field` naming the limit, for services that take text."""
    if len(text) > limit:
        raise ValidationError({field: limit_message(limit, len(text))})
