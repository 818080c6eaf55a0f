"""Earlier database states, read from the migrations on disk, and rows written into whatever
schema such a state has, in raw SQL generated from the columns the database reports."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from tortoise import Tortoise, connections
from tortoise.migrations.executor import MigrationExecutor, MigrationTarget
from tortoise.migrations.loader import MigrationLoader

from portal.db import APPS

Key = tuple[str, str]  # (app label, migration name)

#: Tortoise's record of applied migrations: history, not data.
HISTORY_TABLE = "tortoise_migrations"


def migration_graph() -> dict[Key, set[Key]]:
    """Every migration on disk with the migrations it depends on (as Tortoise loads them)."""
    apps_config = {label: {"migrations": module} for label, (_, module) in APPS.items()}
    loader = MigrationLoader(apps_config, recorder=None)
    loader.load_disk()
    keys = {(key.app_label, key.name) for key in loader.disk_migrations}

    def resolve(app: str, name: str) -> Key:
        if name in ("__first__", "__latest__"):
            names = sorted(n for a, n in keys if a == app)
            return (app, names[0] if name == "__first__" else names[-1])
        return (app, name)

    return {
        (key.app_label, key.name): {resolve(*dep) for dep in migration.dependencies}
        for key, migration in loader.disk_migrations.items()
    }


def states_before_each_migration() -> dict[Key, dict[str, str]]:
    """For every migration that is not its app's first: the database just before it, that is
    everything applied except it and what depends on it, as one target per app.

    A migration added tomorrow gets its own state here without any test being edited."""
    graph = migration_graph()
    states = {}
    for step in sorted(graph):
        if not graph[step] & {key for key in graph if key[0] == step[0]}:
            continue  # the app's first migration: no earlier state of this app
        later = {step}
        while grown := {key for key, deps in graph.items() if deps & later} - later:
            later |= grown
        applied = set(graph) - later
        states[step] = {app: last(graph, applied, app) for app in sorted({k[0] for k in applied})}
    return states


def last(graph: dict[Key, set[Key]], applied: set[Key], app: str) -> str:
    """The app's migration that all its other applied ones lead up to."""
    return max((key for key in applied if key[0] == app), key=lambda k: ancestors(graph, k))[1]


def ancestors(graph: dict[Key, set[Key]], key: Key) -> int:
    seen: set[Key] = set()
    todo = list(graph[key])
    while todo:
        if (dep := todo.pop()) not in seen:
            seen.add(dep)
            todo.extend(graph[dep])
    return len(seen)


async def migrate_to(config: dict, targets: dict[str, str]) -> None:
    """Apply migrations only up to the given one per app, in one plan (as `migrate` plans
    them, which takes a single target)."""
    await Tortoise.init(config=config, init_connections=False)
    executor = MigrationExecutor(connections.get("default"), config["apps"])
    plan = [MigrationTarget(app_label=app, name=name) for app, name in targets.items()]
    await executor.migrate(plan, direction="forward")


@dataclass
class Column:
    name: str
    type: str  # lower case, as the database declares it
    not_null: bool
    has_default: bool  # a default or a generated key: may be left out of an INSERT
    length: int | None
    references: tuple[str, str] | None = None  # (table, column)


@dataclass
class Table:
    name: str
    columns: dict[str, Column]
    primary_key: str | None


def dialect() -> str:
    return connections.get("default").capabilities.dialect


async def query(sql: str, values: list | None = None) -> list[dict]:
    return await connections.get("default").execute_query_dict(sql, values)


async def tables() -> dict[str, Table]:
    """The tables of the open database as it reports them (SQLite or PostgreSQL)."""
    found = await (_sqlite_tables() if dialect() == "sqlite" else _postgres_tables())
    return {name: table for name, table in found.items() if name != HISTORY_TABLE}


async def _sqlite_tables() -> dict[str, Table]:
    names = await query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    result = {}
    for name in (row["name"] for row in names):
        info = await query(f'PRAGMA table_info("{name}")')
        keys = [row["name"] for row in info if row["pk"]]
        columns = {}
        for row in info:
            declared = row["type"].lower()
            generated = keys == [row["name"]] and declared.startswith("int")
            length = re.search(r"\((\d+)\)", declared)
            columns[row["name"]] = Column(
                row["name"],
                declared,
                bool(row["notnull"] or row["pk"]),
                row["dflt_value"] is not None or generated,
                int(length[1]) if length else None,
            )
        for fk in await query(f'PRAGMA foreign_key_list("{name}")'):
            columns[fk["from"]].references = (fk["table"], fk["to"])
        result[name] = Table(name, columns, keys[0] if len(keys) == 1 else None)
    return result


async def _postgres_tables() -> dict[str, Table]:
    result: dict[str, Table] = {}
    for row in await query(
        "SELECT c.table_name, c.column_name, c.data_type, c.is_nullable, c.column_default,"
        " c.is_identity, c.character_maximum_length FROM information_schema.columns c"
        " JOIN information_schema.tables t USING (table_schema, table_name)"
        " WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'"
        " ORDER BY c.table_name, c.ordinal_position"
    ):
        table = result.setdefault(row["table_name"], Table(row["table_name"], {}, None))
        table.columns[row["column_name"]] = Column(
            row["column_name"],
            row["data_type"].lower(),
            row["is_nullable"] == "NO",
            row["column_default"] is not None or row["is_identity"] == "YES",
            row["character_maximum_length"],
        )
    constraints = (
        "SELECT tc.constraint_type, kcu.table_name, kcu.column_name,"
        " ccu.table_name AS ref_table, ccu.column_name AS ref_column"
        " FROM information_schema.table_constraints tc"
        " JOIN information_schema.key_column_usage kcu"
        "  ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema"
        " JOIN information_schema.constraint_column_usage ccu"
        "  ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema"
        " WHERE tc.table_schema = 'public' AND tc.constraint_type IN ('FOREIGN KEY', 'PRIMARY KEY')"
    )
    for row in await query(constraints):
        table = result.get(row["table_name"])
        if table is None:
            continue
        if row["constraint_type"] == "PRIMARY KEY":
            table.primary_key = row["column_name"]
        else:
            table.columns[row["column_name"]].references = (row["ref_table"], row["ref_column"])
    return result


async def dump() -> dict[str, list[dict]]:
    """Every row of every table, in primary-key order."""
    found = await tables()
    return {
        name: await query(
            f'SELECT * FROM "{name}"'
            + (f' ORDER BY "{table.primary_key}"' if table.primary_key else "")
        )
        for name, table in found.items()
    }


def in_dependency_order(found: dict[str, Table]) -> list[Table]:
    """Referenced tables before the tables that reference them."""
    ordered: list[Table] = []
    placed: set[str] = set()
    while len(ordered) < len(found):
        for table in found.values():
            refs = {c.references[0] for c in table.columns.values() if c.references} - {table.name}
            if table.name not in placed and refs <= placed:
                ordered.append(table)
                placed.add(table.name)
    return ordered


async def fill(rows: dict[str, list[dict]]) -> dict[str, int]:
    """Write `rows` (a newer schema's data) into every table of the open database, keeping the
    columns this schema has and making up values for NOT NULL columns it alone has; a table
    without such rows gets one made-up row of every column. Returns the rows per table."""
    found = await tables()
    for table in in_dependency_order(found):
        for number, row in enumerate(rows.get(table.name) or [{}]):
            values = {
                column.name: row[column.name]
                if column.name in row
                else await made_up(table, column, number)
                for column in table.columns.values()
                if wanted(table, column, row)
            }
            await insert(table.name, values)
    if dialect() == "postgres":
        await _advance_sequences(found)
    return {name: await count(name) for name in found}


def wanted(table: Table, column: Column, row: dict) -> bool:
    """A real row brings its own columns (plus what this schema alone requires); a made-up
    row fills every column but a generated key."""
    if row:
        return column.name in row or (column.not_null and not column.has_default)
    return not (column.name == table.primary_key and column.has_default)


async def insert(table: str, values: dict[str, Any]) -> None:
    names = ", ".join(f'"{name}"' for name in values)
    marks = ", ".join(
        "?" if dialect() == "sqlite" else f"${number}" for number in range(1, len(values) + 1)
    )
    await connections.get("default").execute_query(
        f'INSERT INTO "{table}" ({names}) VALUES ({marks})', list(values.values())
    )


async def count(table: str) -> int:
    return (await query(f'SELECT COUNT(*) AS n FROM "{table}"'))[0]["n"]


async def _advance_sequences(found: dict[str, Table]) -> None:
    """Rows written with their keys leave PostgreSQL's sequences behind; a database that got
    its rows from the portal has them past its largest key."""
    for table in found.values():
        key = table.primary_key
        if key and table.columns[key].has_default and "int" in table.columns[key].type:
            await query(
                f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '{key}'),"
                f' (SELECT MAX("{key}") FROM "{table.name}"))'
                f' WHERE EXISTS (SELECT 1 FROM "{table.name}")'
            )


async def made_up(table: Table, column: Column, number: int) -> Any:
    """A plausible value of the column's type (unique per row, short enough, referencing a
    row that exists)."""
    if column.references:
        target, target_column = column.references
        rows = await query(f'SELECT "{target_column}" AS v FROM "{target}" LIMIT 1')
        return rows[0]["v"] if rows else None
    sqlite = dialect() == "sqlite"
    kind = column.type
    now = datetime.now(UTC)
    if "bool" in kind:
        return False
    if "int" in kind or kind in ("serial", "bigserial"):
        return number + 1
    if "timestamp" in kind or "datetime" in kind:
        return now.isoformat(" ") if sqlite else now
    if kind == "date":
        return now.date().isoformat() if sqlite else date.today()
    if "json" in kind:
        return "{}"
    if kind == "uuid" or kind == "char(36)":
        return str(uuid.uuid4()) if sqlite else uuid.uuid4()
    if any(word in kind for word in ("real", "double", "float")):
        return 1.0
    if "numeric" in kind or "decimal" in kind:
        return Decimal(1)
    if "blob" in kind or "bytea" in kind:
        return b"upgrade"
    text = f"{number}-{column.name}-{uuid.uuid4().hex}"
    return text[: column.length] if column.length else text
