"""Log filter that masks anything shaped like a resident registration number.

PIPA treats the RRN as a unique identifier that must never leave the encrypted column;
a stray f-string or an exception message must not write one into a log file.
"""

import logging
import re

from django.views.debug import SafeExceptionReporterFilter

RRN_PATTERN = re.compile(r"(?<!\d)(\d{6})-?([1-8])\d{6}(?!\d)")


def redact_rrn(text: str) -> str:
    return RRN_PATTERN.sub(r"\1-\2******", text)


class RedactRrnFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_rrn(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact_rrn(logging.Formatter().formatException(record.exc_info))
        return True


class RrnSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    """Debug error pages and error e-mails show local variables and POST data; mask any
    RRN in them, as the log filter does for log lines."""

    def get_post_parameters(self, request):
        parameters = super().get_post_parameters(request)
        return (
            {key: redact_rrn(str(value)) for key, value in parameters.items()}
            if parameters
            else parameters
        )

    def get_traceback_frame_variables(self, request, tb_frame):
        return [
            (name, redact_rrn(repr(value)))
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]
