"""service.store: what the service keeps: the decision record, keys, decisions, journeys' tables.

Holds the database and its migrations (database, migrations/), the append-only record of
suggestions (record), API keys (keys), practitioners' decisions (decision), practice figures
(practice), the audit sample (audit), replay of a record (replay) and the case-file summary
(summary). It may import the engine and ``service.config``; it must not import
``service.context``, the API, the pages, the CLI or training, all of which may import it.
"""
