"""Readable text from the booklet transcription's columns.

The transcription (rovest/BOKJIRO_AI, flattened to one row per service) carries three
kinds of noise that a worker must not read on a service page:

- tables flattened into sentences: "내용의 '내용' 관련 정보: 구분은(는) 'A', 지원대상은(는)
  'B'입니다. / 내용의 ..." (one sentence per table row, joined by " / ");
- Python literals of nested tables printed as they were: "{'공익활동': '65세 이상', ...}"
  or "['시내전화 ...', '114 안내요금 면제']";
- in `other_items`, only the number of the other items ("4"), which a page once showed
  as "설명: 4".

`readable` turns the first two into "항목: 값" lines (one per line, lists as "· " lines)
and leaves ordinary prose alone; `is_degenerate` tells the third apart from a real text.
Pure functions, so the loader stays idempotent: the same row always gives the same text.
"""

import ast
import re
from typing import Any

BULLET = "· "
HEADING = "■ "

# "대상의 '사회활동' 관련 정보: " opens one flattened table row.
_ROW_HEAD = re.compile(r"^\s*(?P<section>[^'/]+?)의 '(?P<topic>[^']*)' 관련 정보:\s*")
# A key of a flattened row: "지원대상은(는) '" (keys never hold quotes or commas).
_KEY = re.compile(r"(?:^|,\s*)(?P<key>[^,']+?)은\(는\) '")
# A number alone, or "설명: 4": no words a person could act on.
_DEGENERATE = re.compile(r"^\s*(?:(?:설명|기타)\s*:\s*)?[\d\s.,]*$")
# Generic topics that repeat the column's own heading ("내용의 '내용'"): not worth a line.
_GENERIC_TOPICS = {"내용", "대상", "문의", "방법", "신청", "지원내용", "지원대상"}


def is_degenerate(text: str) -> bool:
    """Whether a text says nothing: empty, a bare count, or "설명: 4"."""
    return bool(_DEGENERATE.match(text or ""))


def readable(text: str) -> str:
    """The text with flattened tables and Python literals as "항목: 값" lines."""
    text = (text or "").strip()
    if not text or is_degenerate(text):
        return ""
    if _ROW_HEAD.match(text):
        rows = _split_rows(text)
        lines = []
        for row in rows:
            row_lines = _row_lines(row)
            # Several rows of one table: each opens with a heading mark, so the eye
            # finds where the next row starts.
            if len(rows) > 1 and row_lines and not row_lines[0].startswith(HEADING):
                row_lines[0] = HEADING + row_lines[0]
            lines += row_lines
        text = "\n".join(lines)
    else:
        text = _literals_to_lines(text)
    return _tidy(text)


def summary(*texts: str, limit: int = 200) -> str:
    """A short description from the first text with words. Prose gives its first
    sentence; a flattened table gives its rows' first values ("구분: 일반 건강검진, 암검진");
    cut at `limit` characters."""
    for text in texts:
        text = (text or "").strip()
        if not text or is_degenerate(text):
            continue
        if _ROW_HEAD.match(text):
            found = _table_summary(text)
        else:
            first = readable(text).splitlines()[0].removeprefix(BULLET)
            found = re.split(r"(?<=[가-힣)])\.\s", first, maxsplit=1)[0]
        if found:
            return found if len(found) <= limit else found[: limit - 1].rstrip() + "…"
    return ""


def _table_summary(text: str) -> str:
    label, values = "", []
    for row in _split_rows(text):
        head = _ROW_HEAD.match(row)
        pairs = _pairs(_row_body(row, head)) if head else []
        if not pairs or _literal(pairs[0][1]) is not None:
            continue
        label = label or _label(pairs[0][0])
        if pairs[0][1] not in values:
            values.append(pairs[0][1])
    return f"{label}: {', '.join(values)}" if values else ""


# --- flattened table rows ---------------------------------------------------------------


def _split_rows(text: str) -> list[str]:
    """Rows are joined by " / " before the next "…의 '…' 관련 정보:"; a " / " inside a
    value (a list of phone numbers, say) stays."""
    return [
        part for part in re.split(r"\s+/\s+(?=[^'/]+?의 '[^']*' 관련 정보:)", text) if part.strip()
    ]


def _row_lines(row: str) -> list[str]:
    head = _ROW_HEAD.match(row)
    if head is None:
        return _literals_to_lines(row).splitlines()
    topic = head["topic"].strip()
    body = _row_body(row, head)
    pairs = _pairs(body)
    if not pairs:
        return [_literals_to_lines(body)]
    lines = []
    values = [value for _, value in pairs]
    if topic and topic not in _GENERIC_TOPICS and topic not in values:
        lines.append(HEADING + topic)
    for key, value in pairs:
        lines += _value_lines(_label(key), value)
    return lines


def _row_body(row: str, head: re.Match) -> str:
    """The row without its head and its closing "'입니다."."""
    return re.sub(r"'?\s*입니다\.?\s*$", "", row[head.end() :].strip())


def _pairs(body: str) -> list[tuple[str, str]]:
    """ "구분은(는) 'A', 지원대상은(는) '{...}'" → [("구분", "A"), ("지원대상", "{...}")].

    A value ends at the quote before the next key; literals inside a value are skipped
    whole, so their own commas and quotes do not end it."""
    starts = []
    position = 0
    while True:
        found = _KEY.search(body, position)
        if found is None:
            break
        starts.append(found)
        position = _skip_value(body, found.end())
    pairs = []
    for index, found in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(body)
        value = body[found.end() : end].rstrip()
        value = value[:-1] if value.endswith("'") else value
        pairs.append((found["key"].strip(), value.strip()))
    return pairs


def _skip_value(body: str, start: int) -> int:
    """Where the search for the next key may resume: after a literal that opens the
    value, else right after the value's start."""
    if body[start : start + 2] in ("{'", '{"', "['", '["'):
        end = _literal_end(body, start)
        if end is not None:
            return end
    return start


def _label(key: str) -> str:
    return key.replace("_및_", "·").replace("_", " ").strip()


def _value_lines(label: str, value: str) -> list[str]:
    parsed = _literal(value)
    if parsed is None:
        return [f"{label}: {_literals_to_lines(value)}"]
    rendered = _render(parsed)
    if len(rendered) == 1 and not rendered[0].startswith(BULLET):
        return [f"{label}: {rendered[0]}"]
    return [f"{label}:", *_bulleted(rendered)]


def _bulleted(lines: list[str]) -> list[str]:
    return [line if line.startswith(BULLET) else BULLET + line for line in lines]


# --- Python literals --------------------------------------------------------------------


def _literal(text: str) -> Any:
    """The dict or list a whole text spells, or None."""
    text = text.strip()
    if not text or text[0] not in "{[":
        return None
    end = _literal_end(text, 0)
    if end != len(text):
        return None
    return _evaluate(text)


def _evaluate(text: str) -> Any:
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    return value if isinstance(value, (dict, list)) else None


def _literal_end(text: str, start: int) -> int | None:
    """The index after the bracket that closes the one at `start`, honouring quoted
    strings (with their escapes); None when the text ends first (a cut-off literal)."""
    depth, quote, index = 0, "", start
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return None


def _render(value: Any) -> list[str]:
    """Lines of a parsed literal: a dict of plain values as "항목: 값" lines, a list as
    bullets, a list of dicts as one bullet per dict ("항목: 값; 항목: 값")."""
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            if isinstance(item, (dict, list)):
                lines += [f"{_label(str(key))}:", *_bulleted(_render(item))]
            else:
                lines.append(f"{_label(str(key))}: {_scalar(item)}")
        return lines
    lines = []
    for item in value:
        if isinstance(item, dict):
            parts = [f"{_label(str(key))}: {_flat(inner)}" for key, inner in item.items()]
            lines.append(BULLET + "; ".join(parts))
        elif isinstance(item, list):
            lines.append(BULLET + _flat(item))
        else:
            lines.append(BULLET + _scalar(item))
    return lines


def _flat(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return ", ".join(line.removeprefix(BULLET) for line in _render(value))
    return _scalar(value)


def _scalar(value: Any) -> str:
    text = str(value).strip()
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def _literals_to_lines(text: str) -> str:
    """Prose with literals in it: each literal that parses becomes its own lines; one
    that does not (cut off in the transcription) loses its brackets and quotes."""
    out, index = [], 0
    while True:
        found = re.search(r"[{\[]['\"]", text[index:])
        if found is None:
            out.append(text[index:])
            break
        start = index + found.start()
        end = _literal_end(text, start)
        parsed = _evaluate(text[start:end]) if end is not None else None
        out.append(text[index:start])
        if parsed is None:
            out.append(_unbracket(text[start:]))
            break
        out.append("\n" + "\n".join(_render(parsed)) + "\n")
        index = end
    return "".join(out)


def _unbracket(text: str) -> str:
    text = re.sub(r"['\"]\s*:\s*['\"]?", ": ", text)
    text = re.sub(r"['\"]?\s*,\s*['\"]", ", ", text)
    return re.sub(r"[{}\[\]'\"]", "", text).replace("\\n", " ")


def _tidy(text: str) -> str:
    """One space between words, no blank lines, no stray quote before a line end."""
    text = text.replace("\\n", "\n")
    lines = []
    for line in text.splitlines():
        line = re.sub(r"[ \t]+", " ", line).strip()
        line = re.sub(r"^'(?=[^']*$)|(?<=[^'])'$", "", line) if line.count("'") == 1 else line
        if line:
            lines.append(line)
    return "\n".join(lines)
