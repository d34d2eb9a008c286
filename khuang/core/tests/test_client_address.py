"""The visitor's address behind the reverse proxy: throttles count people, not the proxy."""

from django.test import RequestFactory, override_settings

from khuang.core.web import client_address


def _request(peer: str, forwarded: str = ""):
    meta = {"REMOTE_ADDR": peer}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@override_settings(KHUANG_TRUSTED_PROXIES=("127.0.0.1",))
def test_behind_the_proxy_the_visitor_is_the_last_untrusted_hop():
    assert client_address(_request("127.0.0.1", "203.0.113.7")) == "203.0.113.7"
    # A client cannot pose as someone else by sending its own header: the proxy appends the real peer last.
    assert client_address(_request("127.0.0.1", "198.51.100.1, 203.0.113.7")) == "203.0.113.7"
    assert client_address(_request("127.0.0.1")) == "127.0.0.1"


@override_settings(KHUANG_TRUSTED_PROXIES=("127.0.0.1",))
def test_a_direct_client_is_its_own_address_whatever_header_it_sends():
    assert client_address(_request("203.0.113.9", "10.0.0.1")) == "203.0.113.9"
