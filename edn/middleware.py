"""Answer the survey's JSON requests with a retryable 503 when the database drops.

A connection to PostgreSQL can drop in the middle of an autosave (a restart,
a failover, a killed backend). The save runs in one transaction, so the
database rolls it back and nothing is half-written; what the respondent
needs is an answer the page's script understands: 503 with
``{"error": ..., "retry": true}`` and Retry-After, so it keeps the change
and sends it again. Pages other than these JSON endpoints keep the ordinary
server error. Django closes the broken connection when the request ends, so
the retry gets a new one.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 2


def is_survey_json(request):
    """Return whether the request is a survey autosave or a JSON partner search."""
    if request.headers.get("X-EDN-Autosave") == "1":
        return True
    match = getattr(request, "resolver_match", None)
    return (
        match is not None
        and match.namespace == "surveys"
        and request.GET.get("format") == "json"
    )


class DatabaseUnavailableMiddleware:
    """Turn a lost database connection in a survey JSON view into a 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if not is_survey_json(request):
            return None
        logger.warning(
            "database unavailable during %s %s (%s: %s); answered 503 to retry",
            request.method,
            request.path,
            type(exception).__name__,
            str(exception).strip().splitlines()[0] if str(exception) else "",
        )
        answer = JsonResponse(
            {
                "error": _(
                    "The connection to the database was lost, so this change "
                    "was not saved yet. It will be sent again in a moment."
                ),
                "retry": True,
            },
            status=503,
        )
        answer["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return answer
