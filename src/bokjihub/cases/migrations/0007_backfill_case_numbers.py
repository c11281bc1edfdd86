"""Cases opened before case numbers existed get theirs: per prefix and year in the order
they were opened, and the sequences start after the last number given here.

The prefix rules are copied from cases.numbers as they stood when this migration was
written, so that a later change to that module does not change what this one did."""

from collections import defaultdict
from zoneinfo import ZoneInfo

from django.db import migrations

SEOUL = ZoneInfo("Asia/Seoul")
_REGION_SUFFIXES = ("통합특별시", "특별자치시", "특별자치도", "광역시", "특별시")


def _stem(name):
    word = name.split()[-1] if name.split() else name
    for suffix in _REGION_SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix):
            return word.removesuffix(suffix)
    if len(word) >= 3 and word.endswith(("시", "군", "구")):
        return word[:-1]
    return word


def _sido_short(name):
    for suffix in _REGION_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name.removesuffix(suffix)
    if len(name) == 4 and name.endswith("도"):
        return name[0] + name[2]
    return name.removesuffix("도") or name


def _prefixes(Sigungu):
    current = list(
        Sigungu.objects.filter(valid_to__isnull=True).select_related("sido", "parent")
    )
    by_stem = defaultdict(set)
    for row in current:
        by_stem[_stem(row.name_ko)].add(row.code)

    def prefix(sigungu):
        stem = _stem(sigungu.name_ko)
        if by_stem[stem] - {sigungu.code}:
            qualifier = (
                _stem(sigungu.parent.name_ko) if sigungu.parent_id else _sido_short(sigungu.sido.name_ko)
            )
            return f"{qualifier}{stem}"
        return stem

    return prefix


def backfill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Sequence = apps.get_model("cases", "CaseNumberSequence")
    Sigungu = apps.get_model("regions", "Sigungu")
    prefix_of = _prefixes(Sigungu)
    last = defaultdict(int)
    for row in Sequence.objects.all():
        last[(row.prefix, row.year)] = row.last
    cases = (
        Case.objects.filter(number__isnull=True)
        .select_related("household__emd__sigungu__sido", "household__emd__sigungu__parent")
        .order_by("opened_at", "id")
    )
    for case in cases.iterator():
        key = (prefix_of(case.household.emd.sigungu), case.opened_at.astimezone(SEOUL).year)
        last[key] += 1
        case.number = f"{key[0]}-{key[1]}-{last[key]:04d}"
        case.save(update_fields=["number"])
    for (prefix, year), value in last.items():
        Sequence.objects.update_or_create(prefix=prefix, year=year, defaults={"last": value})


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_add_case_number_and_sequence"),
        ("regions", "0001_initial_regions"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
