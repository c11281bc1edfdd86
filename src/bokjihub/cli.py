"""The `bokjihub` console command: Django's management commands under one name.

`bokjihub regions stats --json` runs the `regions` management command, and so on.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bokjihub.settings")
    from django.core.management import execute_from_command_line

    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments and not arguments[0].startswith("-"):
        # `bokjihub screening-import` reads better than Django's module name screening_import.
        arguments[0] = arguments[0].replace("-", "_")
    execute_from_command_line(["bokjihub", *arguments])


if __name__ == "__main__":
    main()
