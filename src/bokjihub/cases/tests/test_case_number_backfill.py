"""Cases opened before numbers existed get theirs from the data migration (0007), in the
order they were opened, and new cases continue the sequence after them."""

from datetime import UTC, datetime

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cases", "0005_add_deliveries_and_redundancy_flags")]


def test_existing_cases_are_numbered_in_opening_order_and_new_ones_follow(
    transactional_db, household_dong_a, household_dong_b, gu_office, gu_case_manager, frozen
):
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    OldCase = old_apps.get_model("cases", "Case")
    for household, opened in (
        (household_dong_b, datetime(2025, 3, 1, 1, 0, tzinfo=UTC)),
        (household_dong_a, datetime(2025, 2, 1, 1, 0, tzinfo=UTC)),
    ):
        OldCase.objects.create(
            household_id=household.id,
            lead_organisation_id=gu_office.id,
            status="closed",
            stage="closed",
            outcome="goals_met",
            opened_at=opened,
            closed_at=opened,
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(leaves)

    from bokjihub.cases.models import Case, CaseNumberSequence
    from bokjihub.cases.services import case_open

    numbers = dict(Case.objects.values_list("household_id", "number"))
    assert numbers == {household_dong_a.id: "강동-2025-0001", household_dong_b.id: "강동-2025-0002"}
    assert CaseNumberSequence.objects.get(prefix="강동", year=2025).last == 2
    frozen(datetime(2025, 6, 1, 1, 0, tzinfo=UTC))
    fresh = case_open(
        household=household_dong_a,
        lead_organisation=gu_office,
        case_manager=gu_case_manager,
        by=gu_case_manager,
    )
    assert fresh.number == "강동-2025-0003"
