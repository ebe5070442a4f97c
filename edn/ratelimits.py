"""Rate limits on sign-in, password reset, invitation sending, autosave, search.

The counts live in the default cache through django-ratelimit: in process
when EDN runs embedded (no Redis needed), in Redis when CACHE_URL names one,
so every gunicorn worker shares them. django_ratelimit is deliberately not in
INSTALLED_APPS: its only use there is a system check that calls the
in-process cache an error, and that cache is the embedded default.

A refused request changes nothing and gets HTTP 429 with Retry-After and a
message saying how long to wait: JSON for autosave and JSON search, a small
fragment for htmx, the 429 page otherwise.
"""

import logging
from functools import wraps

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError

from surveys.access import response_for

logger = logging.getLogger(__name__)


def sign_in_username(request, credentials):
    """Return the e-mail a sign-in tried, folded as accounts are looked up.

    django-axes locks (e-mail, address) pairs; folding the letter case and
    spaces keeps "Member@X.example " from counting apart from its account.
    """
    if credentials and credentials.get("username"):
        typed = credentials["username"]
    else:
        typed = request.POST.get("username", "")
    return (typed or "").strip().lower()


def client_address(request):
    """Return the client's address, for the lockout and the per-address limits.

    With PROXY_COUNT proxies in front, each appending the address it saw to
    X-Forwarded-For, the client is the entry that many from the end; entries
    before it were sent by the client and may be made up. Without proxies,
    or with fewer entries than proxies, it is REMOTE_ADDR.
    """
    count = settings.PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if count and len(hops) >= count:
        return hops[-count]
    return request.META.get("REMOTE_ADDR", "")


def per_address(request, kwargs):
    """Key on the client address, found as django-axes finds it."""
    return "address:" + (get_client_ip_address(request) or "unknown")


def per_user(request, kwargs):
    return f"user:{request.user.pk}"


def per_response(request, kwargs):
    """Key on the survey response in the URL, once the visitor may answer it.

    Checking access first means a stranger's requests are refused as missing
    and never use up a respondent's allowance.
    """
    response_for(request, kwargs["response_id"])
    return f"response:{kwargs['response_id']}"


def is_post(request):
    return request.method == "POST"


def is_search(request):
    """Return whether a GET runs a partner search (the step page or its box)."""
    return request.method == "GET" and bool(request.GET.get("q", "").strip())


def wants_json(request):
    return (
        request.headers.get("X-EDN-Autosave") == "1"
        or request.GET.get("format") == "json"
        or "application/json" in request.headers.get("Accept", "")
    )


def how_long(seconds):
    """Return a wait in words: seconds up to a minute and a half, minutes up to
    two hours, then hours, each rounded up."""
    if seconds <= 90:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {
            "count": seconds
        }
    if seconds <= 2 * 3600:
        minutes = -(-seconds // 60)
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {
            "count": minutes
        }
    hours = -(-seconds // 3600)
    return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}


def wait_message(request, seconds):
    """Say what was refused and how long to wait; autosave retries by itself."""
    if request.headers.get("X-EDN-Autosave") == "1":
        return _(
            "Too many saves in a short time. Your change is kept here and "
            "will be saved again in %(wait)s."
        ) % {"wait": how_long(seconds)}
    return _(
        "Too many requests in a short time. Please wait %(wait)s and try again."
    ) % {"wait": how_long(seconds)}


def back_url(request):
    """Return where "Try again" leads: this page, or the page that posted."""
    if request.method == "GET":
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return reverse("home")


def too_many_requests(request, seconds):
    """Return the 429 answer, in the form the caller reads."""
    seconds = max(1, int(seconds))
    message = wait_message(request, seconds)
    if wants_json(request):
        answer = JsonResponse({"error": message, "retry_after": seconds}, status=429)
    elif request.headers.get("HX-Request") == "true":
        answer = HttpResponse(
            format_html('<p class="alert alert-warning mb-0">{}</p>', message),
            status=429,
        )
    else:
        answer = render(
            request,
            "429.html",
            {"message": message, "back": back_url(request)},
            status=429,
        )
    answer["Retry-After"] = str(seconds)
    return answer


def counted_usage(request, group, setting, key, kwargs):
    """Count the request; return the usage, or None when the cache is down.

    An unreachable Redis lets requests through (RATELIMIT_FAIL_OPEN covers a
    failed count, this the connection error) rather than failing every save.
    """
    try:
        return get_usage(
            request,
            group=group,
            key=lambda _group, request: key(request, kwargs),
            rate=getattr(settings, setting),
            increment=True,
        )
    except (RedisError, OSError):
        logger.warning("Rate limit %s not counted: the cache is unreachable.", group)
        return None


def rate_limited(group, setting, key, counts=is_post):
    """Limit a view to the rate named by a setting, per key, for some requests.

    group names the count, setting the rate (read at each request, so tests
    and the environment can change it), key(request, kwargs) whose allowance
    is used, counts(request) which requests are counted at all.
    """

    def decorator(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            if counts(request):
                usage = counted_usage(request, group, setting, key, kwargs)
                if usage is not None and usage["should_limit"]:
                    return too_many_requests(request, usage["time_left"])
            return view(request, *args, **kwargs)

        return limited

    return decorator
