"""Alembic migrations of the service's database (the decision record and API keys).

``service.store.database.connect`` upgrades every database it opens to the newest revision, so a
deployment upgrades by restarting. A database created by release 1.0.0 (tables made with
``create_all``, no ``alembic_version`` table) is recognised and stamped at revision 0001 first.
Migrations only add: no revision drops or rewrites a recorded row.
"""
