"""Cases opened before case management existed: a closed case is in the closed stage, an
open one starts its stage clock when it was opened, and every case gets its lead
organisation as a participant (access_case reads participations)."""

from django.db import migrations


def backfill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseParticipant = apps.get_model("cases", "CaseParticipant")
    for case in Case.objects.all().iterator():
        case.stage = "closed" if case.status == "closed" else "intake"
        case.stage_entered_at = case.closed_at if case.status == "closed" else case.opened_at
        case.save(update_fields=["stage", "stage_entered_at"])
        CaseParticipant.objects.get_or_create(
            case=case,
            organisation_id=case.lead_organisation_id,
            role="lead",
            defaults={"joined_at": case.opened_at},
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_add_case_management_stages_plans_conferences_visits_timeline")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
