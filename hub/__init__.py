"""The district hub (分局指挥中心): sync endpoints, station management, command-centre page.

Run ``python -m hub station add NAME`` (prints a station id and token once), then
``python -m hub serve --db URL --port P`` (SQLite path or a PostgreSQL SQLAlchemy URL;
``--certfile/--keyfile`` for HTTPS with a CA from ``python -m hub make-ca DIR``).
``python -m hub admin-token`` makes the token for the ``/console`` page.

Layout: :mod:`hub.schema` (tables), :mod:`hub.store` (sync rules, one transaction per
request), :mod:`hub.app` (FastAPI), :mod:`hub.web` (console page), :mod:`hub.tls`.
"""
