"""Gunicorn's settings for `make serve` and the systemd service (docs/deploy.md).

Sync workers, as many as JALON_WEB_WORKERS (two per core by default): Jalon's pages are
short and bound by the processor, and a worker that hangs is replaced after a timeout.
One log line per request, with the time it took in milliseconds."""

import logging
import multiprocessing
import os
import sys

bind = os.environ.get("JALON_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("JALON_WEB_WORKERS", str(2 * multiprocessing.cpu_count())))
worker_class = "sync"
timeout = int(os.environ.get("JALON_WEB_TIMEOUT", "60"))
graceful_timeout = 30
# Restart each worker now and then, so a slow leak in a library can never grow for long.
max_requests = 5000
max_requests_jitter = 500
# The application is loaded once, before the workers fork: they share its memory.
preload_app = True
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s bytes %(M)s ms'
# Behind a reverse proxy on the same machine, trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("JALON_PROXY_IPS", "127.0.0.1,::1")
# No control socket (Gunicorn 25.1 and later make one for `gunicornc` in $HOME/.gunicorn):
# the service's home is read-only under systemd (ProtectSystem=strict), where trying logs
# an error at every start, and two servers of one user would fight over the one socket.
# systemctl reload and restart do what it would.
control_socket_disable = True


def worker_exit(server: object, worker: object) -> None:
    """A worker that leaves (on stop, restart, or after max_requests) leaves at once.

    Python would otherwise tear down every module of the application in each worker, a
    second or two of processor apiece, with the pages shared with the preloaded master
    copied first: stopping four workers on two busy cores took ten seconds, and a restart
    (an upgrade, docs/deploy.md) twice that. The database connections are closed and the
    logs flushed first; the exit code Gunicorn chose is kept, so that a worker that could
    not boot still stops the server."""
    error = sys.exc_info()[1]
    code = error.code if isinstance(error, SystemExit) else 0
    try:
        from django.db import connections

        connections.close_all()
    finally:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code if isinstance(code, int) else 1)
