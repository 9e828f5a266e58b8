"""Alembic's entry point. The store opens (and locks) the connection; see ``store/migrate.py``."""

from alembic import context

from widgets.store.tables import METADATA

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run Within's migrations through widgets.store (Store.migrate).")

context.configure(
    connection=connection,
    target_metadata=METADATA,
    render_as_batch=True,  # SQLite can only ALTER by rebuilding the table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
