"""The newest schema revision this terragon knows: the head of `migrations/versions`.

A test keeps it equal to Alembic's head, so opening an up-to-date store (and reading one
with `store.plain`) needs no Alembic import at all.
"""

HEAD_REVISION = "0007"
