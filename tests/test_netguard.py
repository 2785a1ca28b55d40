"""Tests for crawler.fetch.network_policy: a crawled page must not steer the crawler into a private
network. Every test is pure; the autouse fixture makes any socket use fail loudly."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.fetch.network_policy import REASONS, GuardDecision, NetworkGuard


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("netguard must not touch the network")

    for name in ("socket", "create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        monkeypatch.setattr(socket, name, refuse)
    yield


DEFAULT = NetworkGuard()
LOCAL_SITE = NetworkGuard({"127.0.0.1:8000", "10.0.0.5", "localhost", "*.films.internal"})


def refused(reason: str) -> GuardDecision:
    return GuardDecision(False, reason)


OK = GuardDecision(True, "ok")
ALLOWED = GuardDecision(True, "allowed_host")


# --- one table per rule ------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "decision"),
    [
        ("http://example.com/film/1", OK),
        ("https://example.com:8443/", OK),
        ("HTTP://EXAMPLE.COM/", OK),
        ("HtTpS://Example.Com./", OK),
        ("  http://example.com/\n", OK),
        ("http://exa\tmple.com/", OK),  # tabs and newlines are removed, as browsers do
        ("http://user:pass@example.com/", OK),
        ("http://8.8.8.8/", OK),
        ("http://[2606:4700:4700::1111]/", OK),
        ("http://bücher.de/", OK),
        ("http://xn--bcher-kva.de/", OK),
        ("http://例え.jp/", OK),
        ("http://www.example.co.uk:80/a?b#c", OK),
    ],
)
def test_public_hosts_are_allowed(url: str, decision: GuardDecision) -> None:
    assert DEFAULT.check(url) == decision


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/",
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_INFO",
        "javascript:alert(1)",
        "data:text/html,<p>x",
        "//example.com/path",  # scheme-relative: the spider must join it first
        "/relative/path",
        "example.com",
        "",
    ],
)
def test_only_http_and_https(url: str) -> None:
    assert DEFAULT.check(url) == refused("bad_scheme")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/", "loopback_address"),
        ("http://127.8.9.10:8080/", "loopback_address"),
        ("http://[::1]/", "loopback_address"),
        ("http://localhost/", "loopback_address"),
        ("http://LOCALHOST./", "loopback_address"),
        ("http://api.localhost/", "loopback_address"),
        ("http://localhost.localdomain/", "loopback_address"),
        ("http://10.1.2.3/", "private_address"),
        ("http://172.16.0.1/", "private_address"),
        ("http://172.31.255.255/", "private_address"),
        ("http://192.168.1.1/", "private_address"),
        ("http://100.64.0.1/", "private_address"),  # carrier-grade NAT
        ("http://[fc00::1]/", "private_address"),
        ("http://[fd12:3456::1]/", "private_address"),
        ("http://169.254.169.254/latest/meta-data/", "link_local_address"),
        ("http://169.254.0.1/", "link_local_address"),
        ("http://[fe80::1]/", "link_local_address"),
        ("http://[fe80::1%25eth0]/", "link_local_address"),
        ("http://printer.local/", "link_local_address"),
        ("http://0.0.0.0/", "unspecified_address"),
        ("http://0/", "unspecified_address"),
        ("http://[::]/", "unspecified_address"),
        ("http://224.0.0.1/", "multicast_address"),
        ("http://[ff02::1]/", "multicast_address"),
        ("http://0.1.2.3/", "reserved_address"),
        ("http://192.0.2.10/", "reserved_address"),
        ("http://240.0.0.1/", "reserved_address"),
        ("http://255.255.255.255/", "reserved_address"),
        ("http://[2001:db8::1]/", "reserved_address"),
        ("http://[::7f00:1]/", "reserved_address"),  # IPv4-compatible, deprecated
        ("http://metadata.google.internal/computeMetadata/v1/", "internal_name"),
        ("http://router.home.arpa/", "internal_name"),
        ("http://intranet/", "internal_name"),  # single label: completed by search domains
    ],
)
def test_non_public_destinations_are_refused(url: str, reason: str) -> None:
    assert DEFAULT.check(url) == refused(reason)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        # One address, every spelling the OS (inet_aton) and browsers accept.
        ("http://2130706433/", "loopback_address"),
        ("http://0x7f000001/", "loopback_address"),
        ("http://0x7f.1/", "loopback_address"),
        ("http://0x7F.0.0.1/", "loopback_address"),
        ("http://017700000001/", "loopback_address"),
        ("http://0177.0.0.1/", "loopback_address"),
        ("http://127.1/", "loopback_address"),
        ("http://127.0.1/", "loopback_address"),
        ("http://127.0.0.1./", "loopback_address"),
        ("http://%31%32%37.0.0.1/", "loopback_address"),
        ("http://１２７.０.０.１/", "loopback_address"),  # fullwidth digits, IDNA-mapped
        ("http://127。0。0。1/", "loopback_address"),  # ideographic full stops
        ("http://[::ffff:127.0.0.1]/", "loopback_address"),
        ("http://[::ffff:7f00:1]/", "loopback_address"),
        ("http://[0:0:0:0:0:ffff:a9fe:a9fe]/", "link_local_address"),
        ("http://[64:ff9b::a9fe:a9fe]/", "link_local_address"),  # NAT64 to 169.254.169.254
        ("http://[2002:c0a8:101::]/", "private_address"),  # 6to4 around 192.168.1.1
        ("http://3232235777/", "private_address"),  # 192.168.1.1
        ("http://0xa9.0xfe.0xa9.0xfe/", "link_local_address"),
        ("http://0300.0250.0.1/", "private_address"),  # 192.168.0.1 in octal
    ],
)
def test_ip_literals_in_every_form(url: str, reason: str) -> None:
    assert DEFAULT.check(url) == refused(reason)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://example.com@127.0.0.1/", "loopback_address"),
        ("http://example.com:80@127.0.0.1:8080/", "loopback_address"),
        ("http://a@b@169.254.169.254/", "link_local_address"),
        ("http://127.0.0.1@example.com/", "ok"),  # the host is example.com
        ("http://127.0.0.1#@example.com/", "loopback_address"),
        ("http://127.0.0.1?@example.com/", "loopback_address"),
    ],
)
def test_userinfo_tricks(url: str, reason: str) -> None:
    assert DEFAULT.check(url) == GuardDecision(reason == "ok", reason)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1\\@example.com/",  # browsers read "\" as "/": host 127.0.0.1
        "http://example.com\\@127.0.0.1/",
        "http://",
        "http:///path",
        "http://:80/",
        "http://[::1/",
        "http://[not-an-address]/",
        "http://[127.0.0.1]/",
        "http://[::1]x/",
        "http://example.com:0/",
        "http://example.com:65536/",
        "http://example.com:80:90/",
        "http://example.com:８０/",
        "http://example.com:-1/",
        "http://1.2.3.4.5/",
        "http://256.0.0.1/",
        "http://1.2.3.0x100/",
        "http://08.0.0.1/",
        "http://example.0x10/",
        "http://exa mple.com/",
        "http://exa<mple.com/",
        "http://a..b/",
        "http://%zz/",
        "http://%ff%fe/",
        "http://" + "a" * 300 + ".com/",
        "http://" + "a" * 64 + ".com/",  # label too long for IDNA/DNS
    ],
)
def test_unreadable_or_ambiguous_urls_are_refused(url: str) -> None:
    assert DEFAULT.check(url) == refused("bad_url")


def test_very_long_url_with_a_public_host_is_judged_by_its_host() -> None:
    assert DEFAULT.check("http://example.com/" + "a/" * 500_000) == OK
    assert DEFAULT.check("http://127.0.0.1/?" + "x" * 1_000_000) == refused("loopback_address")


# --- explicitly allowed hosts --------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "decision"),
    [
        ("http://127.0.0.1:8000/films/1", ALLOWED),
        ("http://2130706433:8000/", ALLOWED),  # the same address, spelled differently
        ("http://[::ffff:127.0.0.1]:8000/", ALLOWED),
        ("http://127.0.0.1:9999/", refused("port_not_allowed")),
        ("http://127.0.0.1/", refused("port_not_allowed")),
        ("http://127.0.0.2:8000/", refused("loopback_address")),
        ("http://[::1]:8000/", refused("loopback_address")),
        ("http://10.0.0.5/", ALLOWED),  # no port in the entry: any port
        ("http://10.0.0.5:8080/admin", ALLOWED),
        ("http://10.0.0.6/", refused("private_address")),
        ("http://localhost:5000/", ALLOWED),
        ("http://LocalHost.:5000/", ALLOWED),
        ("http://api.localhost/", refused("loopback_address")),
        ("http://films.internal/", ALLOWED),
        ("http://db.films.internal/", ALLOWED),
        ("http://other.internal/", refused("internal_name")),
        ("http://example.com/", OK),
    ],
)
def test_allowed_hosts(url: str, decision: GuardDecision) -> None:
    assert LOCAL_SITE.check(url) == decision


@pytest.mark.parametrize(
    ("start_url", "same_port", "other_port"),
    [
        ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/x", "http://127.0.0.1:9999/"),
        ("http://127.0.0.1/", "http://127.0.0.1:80/x", "http://127.0.0.1:8000/"),
        ("https://localhost/", "https://localhost:443/", "http://localhost/"),
        ("http://[::1]:8000/", "http://[::1]:8000/x", "http://[::1]:8001/"),
    ],
)
def test_start_urls_pin_their_port(start_url: str, same_port: str, other_port: str) -> None:
    guard = NetworkGuard.from_start_urls([start_url])

    assert guard.check(same_port) == ALLOWED
    assert guard.check(other_port) == refused("port_not_allowed")


def test_allow_domain_without_port_allows_any_port() -> None:
    guard = NetworkGuard.from_start_urls(["http://127.0.0.1:8000/"], ["127.0.0.1"])

    assert guard.check("http://127.0.0.1:9999/") == ALLOWED


@pytest.mark.parametrize(
    "entry",
    ["", "   ", "127.0.0.1:http", "127.0.0.1:0", "[::1]:x", "[::1]8000", "ftp://x/", "a..b"],
)
def test_malformed_allowed_entries_fail_at_configuration(entry: str) -> None:
    with pytest.raises(ValueError, match="allowed host"):
        NetworkGuard({entry})


# --- loopback-only mode ------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "decision"),
    [
        ("http://127.0.0.1:8000/", ALLOWED),
        ("http://127.0.0.1:9999/", refused("port_not_allowed")),
        ("http://localhost:8000/", refused("loopback_address")),
        ("http://example.com/", refused("not_loopback")),
        ("http://8.8.8.8/", refused("not_loopback")),
        ("http://10.0.0.5/", refused("not_loopback")),
        ("ftp://127.0.0.1/", refused("bad_scheme")),
    ],
)
def test_loopback_only(url: str, decision: GuardDecision) -> None:
    guard = NetworkGuard({"127.0.0.1:8000", "10.0.0.5"}, loopback_only=True)

    assert guard.check(url) == decision


# --- after DNS resolution ----------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "addresses", "decision"),
    [
        ("example.com", ["93.184.216.34"], OK),
        ("example.com", ["93.184.216.34", "2606:2800:220:1::"], OK),
        ("rebind.example", ["127.0.0.1"], refused("loopback_address")),
        ("rebind.example", ["93.184.216.34", "10.0.0.1"], refused("private_address")),
        ("rebind.example", ["::ffff:169.254.169.254"], refused("link_local_address")),
        ("rebind.example", ["fe80::1%eth0"], refused("link_local_address")),
        ("rebind.example", ["0.0.0.0"], refused("unspecified_address")),
        ("rebind.example", [], refused("no_address")),
        ("rebind.example", ["not an address"], refused("bad_url")),
        ("localhost", ["127.0.0.1", "::1"], ALLOWED),
        ("LOCALHOST.", ["127.0.0.1"], ALLOWED),
        ("127.0.0.1", ["127.0.0.1"], ALLOWED),  # the port was checked by check()
        ("10.0.0.5", ["10.0.0.5"], ALLOWED),
        ("db.films.internal", ["10.9.9.9"], ALLOWED),
        ("[::1]", ["::1"], refused("loopback_address")),
        ("", ["93.184.216.34"], refused("bad_url")),
    ],
)
def test_check_resolved(host: str, addresses: list[str], decision: GuardDecision) -> None:
    assert LOCAL_SITE.check_resolved(host, addresses) == decision


def test_check_resolved_in_loopback_only_mode() -> None:
    guard = NetworkGuard({"localhost"}, loopback_only=True)

    assert guard.check_resolved("localhost", ["127.0.0.1"]) == ALLOWED
    assert guard.check_resolved("localhost", ["127.0.0.1", "10.0.0.1"]) == refused("not_loopback")
    assert guard.check_resolved("example.com", ["93.184.216.34"]) == refused("not_loopback")


# --- properties --------------------------------------------------------------------


def assert_well_formed(decision: GuardDecision) -> None:
    assert isinstance(decision, GuardDecision)
    assert decision.reason in REASONS
    assert decision.allowed == (decision.reason in {"ok", "allowed_host"})


@settings(max_examples=500, deadline=None, database=None)
@given(url=st.text(max_size=300))
def test_check_never_raises(url: str) -> None:
    decision = LOCAL_SITE.check(url)

    assert_well_formed(decision)
    assert LOCAL_SITE.check(url) == decision


URL_PIECES = st.sampled_from(
    ["http", "https", "HTTP", "ftp", "", ":", "//", "@", "[", "]", "::1", "127.0.0.1", "0x7f", ".",
     "%2e", "\\", "localhost", "example.com", "８", "。", "\t", " ", "?", "#", "/", ":80", "ß"]
)  # fmt: skip


@settings(max_examples=500, deadline=None, database=None)
@given(pieces=st.lists(URL_PIECES, max_size=12))
def test_check_never_raises_on_url_like_text(pieces: list[str]) -> None:
    url = "".join(pieces)
    decision = LOCAL_SITE.check(url)

    assert_well_formed(decision)
    assert (
        NetworkGuard({"127.0.0.1:8000", "10.0.0.5", "localhost", "*.films.internal"}).check(url)
        == decision
    )


@settings(max_examples=300, deadline=None, database=None)
@given(host=st.text(max_size=80), addresses=st.lists(st.text(max_size=40), max_size=4))
def test_check_resolved_never_raises(host: str, addresses: list[str]) -> None:
    decision = LOCAL_SITE.check_resolved(host, addresses)

    assert_well_formed(decision)
    assert LOCAL_SITE.check_resolved(host, addresses) == decision


def ipv4_spellings(value: int) -> list[str]:
    octets = value.to_bytes(4, "big")
    return [
        str(ipaddress.IPv4Address(value)),
        str(value),
        hex(value),
        "0" + oct(value)[2:],
        ".".join(hex(octet) for octet in octets),
        f"{octets[0]}.{int.from_bytes(octets[1:], 'big')}",
        f"{octets[0]}.{octets[1]}.{int.from_bytes(octets[2:], 'big')}",
    ]


@settings(max_examples=300, deadline=None, database=None)
@given(value=st.integers(min_value=0, max_value=2**32 - 1))
def test_every_ipv4_spelling_gets_the_same_decision(value: int) -> None:
    decisions = {DEFAULT.check(f"http://{spelling}/") for spelling in ipv4_spellings(value)}
    mapped = DEFAULT.check(f"http://[::ffff:{ipaddress.IPv4Address(value)}]/")

    assert len(decisions) == 1
    assert decisions == {mapped}
    address = ipaddress.IPv4Address(value)
    if address.is_loopback or address.is_private or address.is_link_local:
        assert not mapped.allowed
    assert mapped.allowed == DEFAULT.check_resolved("example.com", [str(address)]).allowed
