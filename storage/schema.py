"""Tables beside the events, created when missing — safely when several
processes start at once.

Statements say ``IF NOT EXISTS``; on PostgreSQL, where two concurrent
``CREATE TABLE IF NOT EXISTS`` can still collide in the catalogue, the
transaction that creates (or alters) tables first takes one advisory lock,
``SCHEMA_LOCK``, the same for every layer.

Tables of record — the event logs, the seals and their links — are marked
``append_only``: with them ``create_tables`` creates triggers that refuse
every ``UPDATE`` and ``DELETE`` (and, on PostgreSQL, ``TRUNCATE``), when
missing, so that a fresh database and one made before the triggers both get
them (``docs/deploy.md``, "Append-only by the database"). A table, index or
trigger that exists is not created again (not even with ``IF NOT
EXISTS``): a PostgreSQL role that may only insert into the tables of record,
and does not own them, can still start.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Table, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.schema import CreateIndex, CreateTable

SCHEMA_LOCK = 0x6B68_6C67
"""The PostgreSQL advisory lock key under which tables are created."""
APPEND_ONLY = "khuyenhoc_append_only"
"""The key in a table's ``info`` that marks it append-only, and the prefix of
its guards' names (triggers, and the PostgreSQL function they call)."""
GUARD_FUNCTION = f"{APPEND_ONLY}_refuse"
REFUSAL = "bảng {table} chỉ được ghi thêm: {op} bị từ chối (append-only: {op} refused)"
"""What the database answers to a refused change (SQLSTATE 42501 on
PostgreSQL, ``sqlite3.IntegrityError`` on SQLite)."""


def append_only(table: Table) -> Table:
    """Mark ``table`` as a table of record: rows are only ever inserted."""
    table.info[APPEND_ONLY] = True
    return table


def hold_schema_lock(conn: Connection) -> None:
    """On PostgreSQL, hold the schema lock until the transaction ends (elsewhere
    nothing: SQLite serialises writers itself)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})


def create_tables(engine: Engine, tables: Iterable[Table]) -> None:
    """Create the tables (and their indexes) that do not exist yet, and the
    append-only guards of those marked so, in one transaction under the
    schema lock."""
    with engine.begin() as conn:
        hold_schema_lock(conn)
        # On PostgreSQL even "IF NOT EXISTS" needs the right to create (and to
        # own the table, for an index): look first. SQLite has no owners.
        inspector = inspect(conn) if conn.dialect.name == "postgresql" else None
        for table in tables:
            have: set[str | None] = set()
            if inspector is None or not inspector.has_table(
                table.name, schema=table.schema
            ):
                conn.execute(CreateTable(table, if_not_exists=True))
            else:
                have = {
                    i["name"]
                    for i in inspector.get_indexes(table.name, schema=table.schema)
                }
            for index in table.indexes:
                if index.name not in have:
                    conn.execute(CreateIndex(index, if_not_exists=True))
            if table.info.get(APPEND_ONLY):
                _guard(conn, table.name)


def guards(conn: Connection) -> list[tuple[str, str]]:
    """The append-only triggers in the database (its current schema on
    PostgreSQL), as (trigger, table)."""
    if conn.dialect.name == "postgresql":
        rows = conn.execute(
            text(
                "SELECT t.tgname, c.relname FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE c.relnamespace = current_schema()::regnamespace "
                "AND t.tgname LIKE :prefix ORDER BY 2, 1"
            ),
            {"prefix": f"{APPEND_ONLY}%"},
        )
    else:
        rows = conn.execute(
            text(
                "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE :prefix ORDER BY 2, 1"
            ),
            {"prefix": f"{APPEND_ONLY}%"},
        )
    return [(str(row[0]), str(row[1])) for row in rows]


def drop_guards(conn: Connection) -> None:
    """Drop every append-only trigger: what someone who owns the database can
    do before tampering (``verify`` still finds the tampering; the next
    ``create_tables`` puts the triggers back). For tests and drills."""
    for trigger, table in guards(conn):
        if conn.dialect.name == "postgresql":
            conn.execute(text(f'DROP TRIGGER "{trigger}" ON "{table}"'))
        else:
            conn.execute(text(f'DROP TRIGGER "{trigger}"'))


def _guard(conn: Connection, table: str) -> None:
    """The triggers that refuse changes to ``table``, when missing."""
    have = {trigger for trigger, on in guards(conn) if on == table}
    if conn.dialect.name == "postgresql":
        wanted = {
            f"{APPEND_ONLY}_rows": "BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW",
            f"{APPEND_ONLY}_truncate": "BEFORE TRUNCATE ON {table} FOR EACH STATEMENT",
        }
        missing = {name: when for name, when in wanted.items() if name not in have}
        if not missing:
            return
        message = REFUSAL.format(table="%", op="%")
        exists = conn.execute(
            text(f"SELECT to_regprocedure('{GUARD_FUNCTION}()')")
        ).scalar()
        if exists is None:  # made once; its owner is the tables' owner
            conn.execute(
                text(
                    f"CREATE FUNCTION {GUARD_FUNCTION}() RETURNS trigger "
                    "LANGUAGE plpgsql AS $guard$ BEGIN "
                    f"RAISE EXCEPTION '{message}', TG_TABLE_NAME, TG_OP, TG_OP "
                    "USING ERRCODE = 'insufficient_privilege'; "
                    "END $guard$"
                )
            )
        for name, when in missing.items():
            conn.execute(
                text(
                    f'CREATE TRIGGER "{name}" {when.format(table=table)} '
                    f"EXECUTE FUNCTION {GUARD_FUNCTION}()"
                )
            )
        return
    for op in ("UPDATE", "DELETE"):
        name = f"{APPEND_ONLY}_{table}_{op.lower()}"
        if name in have:
            continue
        message = REFUSAL.format(table=table, op=op).replace("'", "''")
        conn.execute(
            text(
                f'CREATE TRIGGER IF NOT EXISTS "{name}" BEFORE {op} ON "{table}" '
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )
        )


def drop_tables(engine: Engine, tables: Sequence[Table]) -> None:
    """Drop the tables that exist, the last first (the reverse of creation)."""
    for table in reversed(tables):
        table.drop(engine, checkfirst=True)
