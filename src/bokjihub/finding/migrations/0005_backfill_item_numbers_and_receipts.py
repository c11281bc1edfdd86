"""Give every existing triage item its human number and every report its receipt, in the
order they were received, and leave the counters where the next ones must start; move
screening reasons out of the subject description into Report.screening.
(Same formats as bokjihub.finding.references; written out here because a migration must
not import code that may change later.)"""

from collections import defaultdict

from django.db import migrations
from django.utils import timezone


def _label(hub):
    if hub.emd_id:
        return hub.emd.name_ko
    if hub.sigungu_id:
        return hub.sigungu.name_ko
    return hub.name.split()[0]


def backfill(apps, schema_editor):
    TriageItem = apps.get_model("finding", "TriageItem")
    Report = apps.get_model("finding", "Report")
    ReferenceCounter = apps.get_model("finding", "ReferenceCounter")
    counters = defaultdict(int)
    for row in ReferenceCounter.objects.all():
        counters[row.series] = row.last
    items = TriageItem.objects.filter(number="").select_related("hub__emd", "hub__sigungu")
    for item in items.order_by("received_at", "id").iterator():
        year = timezone.localdate(item.received_at).year
        label = _label(item.hub)
        series = f"item:{year}-{label}"
        counters[series] += 1
        item.number = f"{year}-{label}-{counters[series]:04d}"
        item.save(update_fields=["number"])
    for report in Report.objects.filter(receipt_number="").order_by("received_at", "id").iterator():
        day = timezone.localdate(report.received_at)
        period = f"{day.year}-{day:%m%d}"
        series = f"receipt:{period}"
        counters[series] += 1
        report.receipt_number = f"{period}-{counters[series]:04d}"
        report.save(update_fields=["receipt_number"])
    # Screening reasons were kept as text after a prefix in the subject description; they
    # move to the structured field (what is known of them: the reasons, in order).
    prefix = "빅데이터 발굴: "
    old = Report.objects.filter(channel="screening", subject_description__startswith=prefix)
    for report in old.iterator():
        reasons = [r.strip() for r in report.subject_description[len(prefix):].split(" · ")]
        reasons = [r for r in reasons if r]
        if not report.screening:
            report.screening = {
                "reasons": reasons,
                "signals": [{"reason": r, "agency": "", "observed_on": ""} for r in reasons],
            }
        report.subject_description = ""
        report.save(update_fields=["screening", "subject_description"])
    for series, last in counters.items():
        ReferenceCounter.objects.update_or_create(series=series, defaults={"last": last})


class Migration(migrations.Migration):
    dependencies = [("finding", "0004_item_numbers_receipts_and_screening_evidence")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
