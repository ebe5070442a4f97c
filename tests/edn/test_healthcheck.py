"""The container health check asks the running server the way a proxy would."""

import socket

import pytest

from edn.healthcheck import accepted_host, is_healthy


@pytest.mark.parametrize(
    ("allowed_hosts", "host"),
    [
        ("edn.example,www.edn.example", "edn.example"),
        (" .edn.example ", "edn.example"),
        ("*,edn.example", "edn.example"),
        ("*", "localhost"),
        ("", "localhost"),
    ],
)
def test_health_check_asks_with_a_host_the_server_accepts(allowed_hosts, host):
    assert accepted_host(allowed_hosts) == host


# The live server runs in another thread, so these tests commit. Like every
# transactional test here they restore the seeded rows: one that did not would
# let its flush recreate content types that the next such test loads again.
live = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@live
def test_health_check_passes_when_the_server_answers_ok(live_server):
    assert is_healthy(f"{live_server.url}/healthz", allowed_hosts="localhost")


@live
def test_health_check_fails_on_a_page_that_is_not_the_health_check(live_server):
    assert not is_healthy(f"{live_server.url}/no-such-page", allowed_hosts="localhost")


def test_health_check_fails_when_nothing_listens():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    assert not is_healthy(f"http://127.0.0.1:{port}/healthz", timeout=1)
