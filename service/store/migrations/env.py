"""Alembic environment: runs on the connection ``service.store.database.upgrade`` passes in."""

from __future__ import annotations

from alembic import context

from service.store.database import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
