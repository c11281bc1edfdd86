"""The application's database role may only append to the access log (PostgreSQL).

The triggers of migration 0004 refuse UPDATE and DELETE for every role, but whoever owns
the table can drop them, and TRUNCATE fires no row trigger. So in production the web
application connects as a role that neither owns the tables nor may change the log:
migrations run as the owner, then `bokjihub audit db-grants --role <application role>`
sets the privileges below. Run it after every `migrate` and after any broad grant such as
`GRANT ... ON ALL TABLES`, which would hand UPDATE back.

SQLite has no roles: there the triggers and the keyed hash chain are the controls.
"""

from dataclasses import dataclass

from django.db import connection

from bokjihub.audit.models import AccessLog, AccessLogChainHead, AccessLogFormatAnchor

REFUSED_ON_ACCESS_LOG = ("UPDATE", "DELETE", "TRUNCATE")


class GrantError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class GrantReport:
    role: str
    statements: list[str]


def quote_identifier(name: str) -> str:
    """PostgreSQL's quoting of an identifier: the name exactly as given, any double quote
    doubled. Role names come from the command line, so they are never spliced in bare."""
    if not name or "\x00" in name:
        raise GrantError("역할 이름이 비어 있거나 쓸 수 없는 문자를 담고 있습니다.")
    return '"' + name.replace('"', '""') + '"'


def access_log_grant_statements(*, role: str, sequence: str | None) -> list[str]:
    """The statements, in order: everything revoked first, then the little that is needed.

    `sequence` is the access log's id sequence as PostgreSQL names it (INSERT draws the id
    from it), or None to leave it out (printing for a DBA without a connection).
    """
    quoted = quote_identifier(role)
    log = quote_identifier(AccessLog._meta.db_table)
    head = quote_identifier(AccessLogChainHead._meta.db_table)
    anchor = quote_identifier(AccessLogFormatAnchor._meta.db_table)
    statements = [
        f"REVOKE ALL ON {log} FROM {quoted}",
        f"GRANT INSERT, SELECT ON {log} TO {quoted}",
        # Every append locks and moves the one head row; nothing deletes it.
        f"REVOKE ALL ON {head} FROM {quoted}",
        f"GRANT SELECT, INSERT, UPDATE ON {head} TO {quoted}",
        # Written once by a migration, as the owner; the application only reads it.
        f"REVOKE ALL ON {anchor} FROM {quoted}",
        f"GRANT SELECT ON {anchor} TO {quoted}",
    ]
    if sequence:
        statements.append(f"GRANT USAGE ON SEQUENCE {sequence} TO {quoted}")
    return statements


def access_log_grants_apply(*, role: str, dry_run: bool = False) -> GrantReport:
    """Apply the statements to the current database, as its owner, and check the outcome."""
    if connection.vendor != "postgresql":
        raise GrantError(
            "데이터베이스 역할 권한은 PostgreSQL에서만 설정합니다. SQLite에는 역할이 없어 "
            "트리거와 해시 체인이 접속기록을 지킵니다."
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        found = cursor.fetchone()
        if found is None:
            raise GrantError(f"데이터베이스 역할 '{role}'이(가) 없습니다.")
        if found[0]:
            raise GrantError(
                f"'{role}'은(는) 슈퍼유저라 어떤 권한 제한도 받지 않습니다. 애플리케이션은 "
                "슈퍼유저가 아닌 별도 역할로 접속해야 합니다."
            )
        _refuse_owner(cursor, role)
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [AccessLog._meta.db_table])
        sequence = cursor.fetchone()[0]
        statements = access_log_grant_statements(role=role, sequence=sequence)
        if dry_run:
            return GrantReport(role=role, statements=statements)
        for statement in statements:
            cursor.execute(statement)
        _check_refused(cursor, role)
    return GrantReport(role=role, statements=statements)


def _refuse_owner(cursor, role: str) -> None:
    # An owner (or a member of the owning role) can grant itself anything back and drop
    # the triggers: REVOKE from it would be a gesture, not a control.
    cursor.execute(
        "SELECT pg_has_role(%s, relowner, 'MEMBER') FROM pg_class WHERE oid = %s::regclass",
        [role, AccessLog._meta.db_table],
    )
    if cursor.fetchone()[0]:
        raise GrantError(
            f"'{role}'은(는) {AccessLog._meta.db_table} 테이블의 소유자(또는 소유 역할의 "
            "구성원)입니다. 마이그레이션용 소유자 역할과 애플리케이션 역할을 나누세요."
        )


def _check_refused(cursor, role: str) -> None:
    """Privileges also come through membership of other roles, which REVOKE cannot
    touch: ask PostgreSQL what the role can do after all."""
    table = AccessLog._meta.db_table
    for privilege in REFUSED_ON_ACCESS_LOG:
        cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [role, table, privilege])
        if cursor.fetchone()[0]:
            raise GrantError(
                f"'{role}'은(는) 권한을 회수한 뒤에도 {table}에 {privilege}할 수 있습니다: "
                "그 권한을 가진 다른 역할의 구성원입니다. 그 역할에서 빼야 합니다."
            )
