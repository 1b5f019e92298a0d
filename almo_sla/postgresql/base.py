"""Django's PostgreSQL backend with every wait on the network bounded (issue 17).

libpq bounds nothing by itself once a connection is made: a database that stops answering
(packets dropped, a hung proxy, a failover in progress) leaves a request waiting in
``poll()`` for ever, and ``connect_timeout`` only applies to libpq's blocking connect.
This backend registers a psycopg2 *wait callback*: psycopg2 then runs every connect and
every query without blocking and asks the callback to wait for the socket, which gives up
after ``DATABASE_CONNECT_TIMEOUT`` (connecting) or ``DATABASE_READ_TIMEOUT`` (a query)
seconds with ``DatabaseUnreachable``, an ``OperationalError``. psycopg2 closes the
connection; Django opens a fresh one on the next request, and
``almo_sla.middleware.DatabaseUnavailableMiddleware`` answers this one with a 503.

The server-side ``statement_timeout`` (set in settings through the connection's
``options``) ends a slow query cleanly before the read deadline ends the connection, so the
read deadline only fires when the server cannot be heard at all.
"""

from __future__ import annotations

import select
import time

import psycopg2
from django.conf import settings
from django.db.backends.postgresql import base
from psycopg2 import extensions


class DatabaseUnreachable(psycopg2.OperationalError):
    """PostgreSQL did not answer within the configured time."""


def wait_with_deadline(conn, *, connect_timeout: float | None = None, read_timeout: float | None = None) -> None:
    """psycopg2 wait callback: wait for the socket until the operation is done or the deadline passes."""
    connecting = conn.status == extensions.STATUS_SETUP
    limit = connect_timeout if connecting else read_timeout
    deadline = time.monotonic() + limit if limit else None
    poller = None
    fd = None
    while True:
        state = conn.poll()
        if state == extensions.POLL_OK:
            return
        if state == extensions.POLL_READ:
            events = select.POLLIN
        elif state == extensions.POLL_WRITE:
            events = select.POLLOUT
        else:  # pragma: no cover - psycopg2 documents no other state
            raise psycopg2.OperationalError(f"unexpected poll state {state}")
        if poller is None or conn.fileno() != fd:  # the socket can change while connecting (a second host)
            fd = conn.fileno()
            poller = select.poll()
            poller.register(fd, events)
        else:
            poller.modify(fd, events)
        if deadline is None:
            poller.poll()
            continue
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not poller.poll(remaining * 1000):
            what = "connect" if connecting else "answer"
            raise DatabaseUnreachable(f"PostgreSQL did not {what} within {limit:g} s")


def install_wait_callback(*, connect_timeout: float | None, read_timeout: float | None) -> None:
    """Register the bounded wait for every psycopg2 connection of this process."""

    def callback(conn):
        wait_with_deadline(conn, connect_timeout=connect_timeout, read_timeout=read_timeout)

    extensions.set_wait_callback(callback)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        install_wait_callback(
            connect_timeout=getattr(settings, "DATABASE_CONNECT_TIMEOUT", None),
            read_timeout=getattr(settings, "DATABASE_READ_TIMEOUT", None),
        )
        return super().get_new_connection(conn_params)
