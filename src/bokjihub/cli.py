"""The `bokjihub` console command: Django's management commands under one name.

`bokjihub regions stats --json` runs the `regions` management command, and so on.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bokjihub.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["bokjihub", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
