"""add code attempts, kernel slots, and centres with row-level security

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 07:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

#: Tables whose rows carry their centre, and the tables whose rows belong to theirs.
CENTRE_TABLES = ("participants", "rooms", "presentations")
CHILD_TABLES = {
    "consents": "EXISTS (SELECT 1 FROM participants p WHERE p.code = consents.code)",
    "progress": "EXISTS (SELECT 1 FROM participants p WHERE p.code = progress.code)",
    "entries": "EXISTS (SELECT 1 FROM participants p WHERE p.code = entries.code)",
    "submissions": "EXISTS (SELECT 1 FROM participants p WHERE p.code = submissions.code)",
    "room_answers": "EXISTS (SELECT 1 FROM rooms r WHERE r.id = room_answers.room_id)",
}

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "code_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_code_attempts")),
    )
    with op.batch_alter_table("code_attempts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_code_attempts_client_at"), ["client", "at"], unique=False
        )

    op.create_table(
        "kernel_slots",
        sa.Column("kernel_id", sa.String(length=64), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("process", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("kernel_id", name=op.f("pk_kernel_slots")),
    )
    with op.batch_alter_table("kernel_slots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kernel_slots_client"), ["client"], unique=False)
    op.create_table(
        "server_processes",
        sa.Column("process", sa.String(length=32), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("process", name=op.f("pk_server_processes")),
    )

    # Centres: each row's centre, and on PostgreSQL row-level security (FORCEd, so the table
    # owner obeys it too): a centre's role sees and writes only its own rows, and a child row
    # only under a parent it can see. Superusers and BYPASSRLS roles (backups, exports of
    # the whole network) see everything.
    postgres = op.get_bind().dialect.name == "postgresql"
    default = sa.text("CURRENT_USER") if postgres else sa.text("''")
    for table in CENTRE_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("centre", sa.String(length=64), nullable=False, server_default=default)
            )
    if postgres:
        for table in CENTRE_TABLES:
            _secure(table, "centre = CURRENT_USER")
        for table, condition in CHILD_TABLES.items():
            _secure(table, condition)


def _secure(table: str, condition: str) -> None:
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY within_centre ON {table} USING ({condition}) WITH CHECK ({condition})"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in (*CHILD_TABLES, *CENTRE_TABLES):
            op.execute(f"DROP POLICY IF EXISTS within_centre ON {table}")
            op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    for table in CENTRE_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("centre")
    op.drop_table("server_processes")
    with op.batch_alter_table("kernel_slots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kernel_slots_client"))
    op.drop_table("kernel_slots")
    with op.batch_alter_table("code_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_code_attempts_client_at"))

    op.drop_table("code_attempts")
