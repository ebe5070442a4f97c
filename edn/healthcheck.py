"""Exit 0 when the web server in this container answers its health check.

The Dockerfile's HEALTHCHECK runs ``python -m edn.healthcheck``. It asks
gunicorn on 127.0.0.1 the way the proxy would, with a host taken from
ALLOWED_HOSTS and the https header, so that neither host validation nor the
SSL redirect turns the question away.
"""

import json
import os
import sys
import urllib.request

HEALTH_URL = "http://127.0.0.1:8000/healthz"


def accepted_host(allowed_hosts):
    """Return a host name that ALLOWED_HOSTS accepts."""
    for host in allowed_hosts.split(","):
        host = host.strip().lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


def is_healthy(url=HEALTH_URL, allowed_hosts="", timeout=4):
    """Return whether the server at url reports itself ok."""
    request = urllib.request.Request(
        url,
        headers={
            "Host": accepted_host(allowed_hosts),
            "X-Forwarded-Proto": "https",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.load(response).get("status") == "ok"
    except (OSError, ValueError) as error:
        print(f"health check failed: {error}", file=sys.stderr)
        return False


if __name__ == "__main__":
    sys.exit(0 if is_healthy(allowed_hosts=os.environ.get("ALLOWED_HOSTS", "")) else 1)
