"""Give the rows written before the scope column their scope, and seal where chain
format 2 ends. Data only; the schema is 0009.

The scope of an earlier row is legacy_scope(row) (audit.chain): a refused read by a role
that reads personal data is out of jurisdiction, one by any other role is refused by role,
and a household view whose detail begins with the old marker "담당 외 열람" is out of
caseload. Those fields are covered by the row's hash, and access_log_verify checks that
the scope of a format 1 or 2 row still equals legacy_scope, so the value written here is
as tamper-evident as the row itself. Rows written from now on carry the scope in their
hash (format 3): the anchor records the last format 2 row, as 0006 did for format 1.

Setting the column is an UPDATE, which the append-only triggers (0004) refuse: they are
lifted inside this migration's transaction only, on PostgreSQL by disabling the trigger
(the migration runs as the table's owner), on SQLite by dropping and re-creating them.
"""

import importlib

from django.db import migrations
from django.utils import timezone

from bokjihub.audit.chain import anchor_mac, legacy_scope

append_only = importlib.import_module(
    "bokjihub.audit.migrations.0004_refuse_access_log_update_and_delete"
)
FORMAT_VERSION_WITHOUT_SCOPE = 2
CHUNK_SIZE = 2000


def _lift_append_only(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        # ALTER TABLE refuses to run while deferred constraint checks are pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(
            "ALTER TABLE audit_accesslog DISABLE TRIGGER audit_accesslog_append_only"
        )
    elif schema_editor.connection.vendor == "sqlite":
        append_only.remove(None, schema_editor)


def _restore_append_only(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE audit_accesslog ENABLE TRIGGER audit_accesslog_append_only"
        )
    elif schema_editor.connection.vendor == "sqlite":
        append_only.install(None, schema_editor)


def set_scope_and_anchor(apps, schema_editor):
    AccessLog = apps.get_model("audit", "AccessLog")
    AccessLogFormatAnchor = apps.get_model("audit", "AccessLogFormatAnchor")
    last = AccessLog.objects.order_by("-id").only("id", "row_hash").first()
    if last is None:
        return  # a new installation: every row will be format 3
    by_scope: dict[str, list[int]] = {}
    rows = AccessLog.objects.only("id", "action", "role", "detail").order_by("id")
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        scope = legacy_scope(row)
        if scope != "ordinary":
            by_scope.setdefault(scope, []).append(row.id)
    if by_scope:
        _lift_append_only(schema_editor)
        for scope, ids in by_scope.items():
            for start in range(0, len(ids), CHUNK_SIZE):
                AccessLog.objects.filter(id__in=ids[start : start + CHUNK_SIZE]).update(
                    scope=scope
                )
        _restore_append_only(schema_editor)
    already = AccessLogFormatAnchor.objects.filter(last_row_id__gte=last.id).exists()
    if not already:
        AccessLogFormatAnchor.objects.create(
            version=FORMAT_VERSION_WITHOUT_SCOPE,
            last_row_id=last.id,
            last_row_hash=last.row_hash,
            mac=anchor_mac(
                version=FORMAT_VERSION_WITHOUT_SCOPE,
                last_row_id=last.id,
                last_row_hash=last.row_hash,
            ),
            anchored_at=timezone.now(),
        )


def remove_anchor(apps, schema_editor):
    # The scopes stay: format 2 code ignores the column, and 0009's reversal drops it.
    apps.get_model("audit", "AccessLogFormatAnchor").objects.filter(
        version=FORMAT_VERSION_WITHOUT_SCOPE
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0009_add_access_log_scope_and_review_sign_off"),
    ]

    operations = [
        migrations.RunPython(set_scope_and_anchor, remove_anchor),
    ]
