"""The progress bar long commands draw on standard error (standard output stays for the
result, so `--json` output can be piped)."""

import sys

WIDTH = 30


def progress_bar(label: str, done: int, total: int) -> None:
    filled = int(WIDTH * done / max(total, 1))
    sys.stderr.write(
        f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {done:,}/{total:,} {label:<20}"
    )
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()
