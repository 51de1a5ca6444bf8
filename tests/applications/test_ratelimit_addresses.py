"""The rate limits count a client, not one of the 2^64 addresses an IPv6 client owns."""

import pytest
from django.test import RequestFactory

from gongkai.intake.ratelimit import RateLimited, client_ip, hit

pytestmark = pytest.mark.usefixtures("empty_cache")


def _request(address):
    return RequestFactory().get("/", REMOTE_ADDR=address)


@pytest.mark.parametrize(
    ("address", "client"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),  # an IPv4 client on a dual-stack socket
        ("", "unknown"),
        ("not an address", "not an address"),
    ],
)
def test_client_ip(address, client):
    assert client_ip(_request(address)) == client


def test_rotating_ipv6_addresses_in_one_network_share_the_limit(settings):
    settings.GONGKAI_APPLY_RATE_LIMIT = 2
    hit(_request("2001:db8:1:2::1"), "apply")
    hit(_request("2001:db8:1:2::2"), "apply")
    with pytest.raises(RateLimited):
        hit(_request("2001:db8:1:2::3"), "apply")
    hit(_request("2001:db8:1:3::1"), "apply")  # another network is another client
