"""Seal the boundary between the unkeyed (version 1) rows and the keyed (version 2) ones.

Data only; the schema is 0005.

Why an anchor, not a rewrite: the rows written under version 1 could be re-hashed under
the key, but that would mean lifting the append-only triggers and rewriting the whole log
in one migration, and it would replace the evidence that was there with hashes computed
today over whatever the rows hold today: an alteration made before this migration would
become undetectable. Instead the rows keep their version-1 hashes and this migration
records, sealed with an HMAC under settings.AUDIT_KEY, which row is the last of version 1
and what its hash is. The first version-2 row chains onto that hash, so rewriting any
older row now needs the key too. access_log_verify takes each row's version from this
anchor, never from the row.

A database with no rows yet (every new installation) needs no anchor: all its rows are
version 2.
"""

from django.db import migrations
from django.utils import timezone

from bokjihub.audit.chain import anchor_mac

LEGACY_VERSION = 1


def anchor_version_1_rows(apps, schema_editor):
    AccessLog = apps.get_model("audit", "AccessLog")
    AccessLogFormatAnchor = apps.get_model("audit", "AccessLogFormatAnchor")
    last = AccessLog.objects.order_by("-id").only("id", "row_hash").first()
    if last is None:
        return
    AccessLogFormatAnchor.objects.create(
        version=LEGACY_VERSION,
        last_row_id=last.id,
        last_row_hash=last.row_hash,
        mac=anchor_mac(version=LEGACY_VERSION, last_row_id=last.id, last_row_hash=last.row_hash),
        anchored_at=timezone.now(),
    )


def remove_anchor(apps, schema_editor):
    apps.get_model("audit", "AccessLogFormatAnchor").objects.filter(
        version=LEGACY_VERSION
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0005_add_access_denied_action_and_format_anchor"),
    ]

    operations = [
        migrations.RunPython(anchor_version_1_rows, remove_anchor),
    ]
