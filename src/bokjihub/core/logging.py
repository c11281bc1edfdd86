"""Log filter that masks anything shaped like a resident registration number.

PIPA treats the RRN as a unique identifier that must never leave the encrypted column;
a stray f-string or an exception message must not write one into a log file.
"""

import logging
import re

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
