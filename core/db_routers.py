"""Reads that can be served by a streaming replica: the reports' figures. Inside
``reads_from_replica()`` reads go to the ``replica`` database when one is configured
(``REPLICA_DATABASE_URL`` sets ``PARKOPS_READ_REPLICA``); everything else, and every write, stays
on the primary."""

import contextvars
from contextlib import contextmanager

from django.conf import settings

REPLICA = "replica"
_replica_reads = contextvars.ContextVar("replica_reads", default=False)


@contextmanager
def reads_from_replica():
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class ReplicaReadRouter:
    def db_for_read(self, model, **hints):
        if _replica_reads.get() and settings.PARKOPS_READ_REPLICA:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database and its copy: rows from either relate

    def allow_migrate(self, db, app_label, **hints):
        return db != REPLICA  # the replica follows the primary's migrations by streaming them
