"""phonetic keys: an indexed, transliteration-insensitive key on persons, organisations and aliases

``phonetic_key`` is :func:`casetrack.ingest.names.phonetic_key` of the row's
name ('Юрий Иванов', 'Yurii Ivanov' and 'Iurii Ivanov' share one), so ingest
finds cross-script candidates by an exact indexed match. Existing rows are
backfilled here, in batches, from their names. On SQLite every change is an
``ALTER TABLE`` (no table is copied and dropped, so no ``ON DELETE CASCADE``
fires while foreign keys are on).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 00:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from casetrack.ingest.names import phonetic_key

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("person", "organisation", "person_alias", "organisation_alias")
BATCH_SIZE = 1000


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None, recreate="never") as batch_op:
            batch_op.add_column(
                sa.Column(
                    "phonetic_key",
                    sqlmodel.sql.sqltypes.AutoString(length=300),
                    server_default="",
                    nullable=False,
                )
            )
            batch_op.create_index(batch_op.f(f"ix_{table}_phonetic_key"), ["phonetic_key"], unique=False)
        _backfill(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None, recreate="never") as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_phonetic_key"))
            batch_op.drop_column("phonetic_key")


def _backfill(table_name: str) -> None:
    """Set every row's key from its name, BATCH_SIZE rows at a time, in id order."""
    table = sa.table(
        table_name,
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("phonetic_key", sa.String),
    )
    update = (
        sa.update(table).where(table.c.id == sa.bindparam("row_id")).values(phonetic_key=sa.bindparam("key"))
    )
    bind = op.get_bind()
    last_id = 0
    while True:
        query = sa.select(table.c.id, table.c.name).where(table.c.id > last_id).order_by(table.c.id)
        rows = bind.execute(query.limit(BATCH_SIZE)).all()
        if not rows:
            return
        bind.execute(update, [{"row_id": row.id, "key": phonetic_key(row.name or "")} for row in rows])
        last_id = rows[-1].id
