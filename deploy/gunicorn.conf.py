"""gunicorn settings for zhicheng (docs/deploy.md). Every value can be changed from the
environment file without editing this one.

One machine: systemd hands gunicorn the socket of zhicheng-web.socket (nginx talks to
/run/zhicheng/gunicorn.sock), so `bind` is not used. Several machines: set
ZHICHENG_WEB_BIND=0.0.0.0:8000 on each app server and list the load balancer's address in
ZHICHENG_FORWARDED_ALLOW_IPS.
"""

import multiprocessing
import os

wsgi_app = "zhicheng.wsgi:application"
bind = [os.environ.get("ZHICHENG_WEB_BIND", "unix:/run/zhicheng/gunicorn.sock")]

# Threads let one process stream a material to a reviewer while others answer pages; each
# thread keeps its own persistent database connection (CONN_MAX_AGE), so budget
# workers × threads connections per app server in PostgreSQL's max_connections.
worker_class = "gthread"
workers = int(os.environ.get("ZHICHENG_WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("ZHICHENG_WEB_THREADS", "4"))
# PDFs (申报表, minutes) and Excel exports can take a while; uploads are buffered by nginx.
timeout = int(os.environ.get("ZHICHENG_WEB_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never grows into an outage.
max_requests = 2000
max_requests_jitter = 200
# Load the app before forking: a broken setting stops the start instead of every worker.
preload_app = True

# No gunicornc control socket: systemd manages the process (reload = HUP), and the default
# path under the home directory is read-only under ProtectSystem=strict.
control_socket_disable = True

# Only the proxy may say the request came over HTTPS (SECURE_PROXY_SSL_HEADER trusts it).
forwarded_allow_ips = os.environ.get("ZHICHENG_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# "-" = stdout/stderr (journald); a path = a file rotated by deploy/logrotate/zhicheng.
accesslog = os.environ.get("ZHICHENG_ACCESS_LOG", "-")
errorlog = os.environ.get("ZHICHENG_ERROR_LOG", "-")
# Django's own log (LOGGING → stderr) goes to the same place as gunicorn's errors.
capture_output = errorlog != "-"
loglevel = os.environ.get("ZHICHENG_LOG_LEVEL", "warning").lower()
# Request time in microseconds (%(D)s) for the slow-page hunt; the path without its query
# string (a search may carry an ID number), no cookies, no form values (POST bodies).
access_log_format = '%(h)s "%({x-forwarded-for}i)s" %(t)s "%(m)s %(U)s" %(s)s %(B)s %(D)sus'


# Prometheus metrics of several workers (docs/monitoring.md): each process writes its own
# files under PROMETHEUS_MULTIPROC_DIR; a dead worker's gauges are dropped.
def child_exit(server, worker):  # noqa: ARG001 (gunicorn hook signature)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
