"""Decide which URLs the crawler may request, so a crawled page cannot steer it into
a private network.

A page is untrusted input: its links can point at ``http://127.0.0.1:6800/`` (a Scrapyd
next to the crawler), ``http://169.254.169.254/`` (cloud credentials),
``http://router.local/`` or a public name that resolves to ``10.0.0.1``. The guard
refuses every destination that is not a public address unless the user named it: the
start URLs' hosts (pinned to their port) and ``--allow-domain`` values.

Two checks, both pure:

* :meth:`NetworkGuard.check` before a request is scheduled: scheme, URL syntax and the
  host as written, including IP literals in every form the OS accepts
  (``2130706433``, ``0x7f.1``, ``017700000001``, ``[::ffff:127.0.0.1]``) and names
  reserved for the local machine or network (``localhost``, ``*.localhost``,
  ``*.local``, ``*.internal``, single-label names).
* :meth:`NetworkGuard.check_resolved` after DNS resolution, against rebinding: a public
  name whose addresses include a private one is refused unless the name was allowed.

Hosts are read the way browsers and the resolver read them (WHATWG URL host parsing:
percent-decoding, IDNA mapping, IPv4 numbers); what the guard cannot read unambiguously
(a backslash in the authority, an invalid port) is refused as ``bad_url`` rather than
guessed at.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import SplitResult, unquote_to_bytes, urlsplit

__all__ = ["REASONS", "GuardDecision", "NetworkGuard", "allowed_domain_problem"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Every reason a decision can carry; stats keys are ``filmcrawl/netguard/<reason>``.
REASONS = (
    "ok",  # a public host or address
    "allowed_host",  # not public, but the user named this host (and port)
    "bad_url",  # unparsable, ambiguous, or an invalid host or port
    "bad_scheme",  # not http or https
    "port_not_allowed",  # the host was allowed on another port only
    "loopback_address",  # 127.0.0.0/8, ::1, localhost names
    "private_address",  # RFC 1918, 100.64.0.0/10 (CGNAT), fc00::/7, fec0::/10
    "link_local_address",  # 169.254.0.0/16 (cloud metadata), fe80::/10, *.local
    "unspecified_address",  # 0.0.0.0, ::
    "multicast_address",  # 224.0.0.0/4, ff00::/8
    "reserved_address",  # any other non-global address (0/8, 240/4, documentation, ...)
    "internal_name",  # *.internal, *.home.arpa, single-label names (search domains)
    "not_loopback",  # loopback_only mode and the destination is not loopback
    "no_address",  # check_resolved with no addresses
)

_DEFAULT_PORTS = {"http": 80, "https": 443}
_MAX_HOST_LENGTH = 253
# WHATWG URL parsing removes these anywhere in the input and strips C0 controls and
# spaces at both ends; doing the same keeps our reading of a URL the browser's.
_REMOVED_CHARS = str.maketrans("", "", "\t\n\r")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_DECISIONS_KEPT = 4096
_HOST_CHARS_RE = re.compile(r"[a-z0-9_-]{1,63}(?:\.[a-z0-9_-]{1,63})*")  # DNS: labels up to 63
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
_INTERNAL_SUFFIXES = (".internal", ".home.arpa", ".localdomain", ".intranet", ".lan")
_PRIVATE_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "fc00::/7",
        "fec0::/10",
    )
)
# IPv6 prefixes that carry an IPv4 address a gateway will connect to.
_NAT64_NETWORKS = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


@dataclass(frozen=True, slots=True)
class GuardDecision:
    """Whether a URL (or a resolved host) may be requested, and a short reason code
    from :data:`REASONS`."""

    allowed: bool
    reason: str


@dataclass(frozen=True, slots=True)
class _Host:
    """A host as the network stack will see it: an address or a normalised name."""

    name: str
    address: IPAddress | None


@dataclass(frozen=True, slots=True)
class _Allowance:
    host: _Host
    port: int | None  # None: any port
    subdomains: bool


class NetworkGuard:
    """Refuse requests to loopback, private, link-local and other non-public
    destinations unless the user named them.

    ``allowed_hosts`` entries are ``host`` (any port), ``host:port`` or ``[v6]:port``
    (that port only), a URL (its host and effective port, as for a start URL), or
    ``.example.com`` / ``*.example.com`` (the domain and its subdomains). Names are
    compared after normalisation (case, trailing dot, IDNA), addresses as addresses,
    so allowing ``127.0.0.1`` also allows ``http://2130706433/``. With
    ``loopback_only`` (tests, benchmarks) everything that is not loopback is refused
    as well.

    >>> guard = NetworkGuard({"127.0.0.1:8000"})
    >>> guard.check("http://127.0.0.1:8000/films/1")
    GuardDecision(allowed=True, reason='allowed_host')
    >>> guard.check("http://127.0.0.1:9999/")
    GuardDecision(allowed=False, reason='port_not_allowed')
    >>> guard.check("http://example.com@169.254.169.254/latest/meta-data/")
    GuardDecision(allowed=False, reason='link_local_address')
    """

    def __init__(self, allowed_hosts: Iterable[str] = (), *, loopback_only: bool = False) -> None:
        self.loopback_only = loopback_only
        self._allowances = tuple(_parse_allowance(entry) for entry in allowed_hosts)
        # Decisions by scheme and authority: a crawl asks about the same few hosts for
        # every request (parsing a host the WHATWG way costs ~25 µs; issue 16).
        self._decided: dict[tuple[str, str], GuardDecision] = {}

    @classmethod
    def from_start_urls(
        cls,
        start_urls: Iterable[str],
        allow_domains: Iterable[str] = (),
        *,
        loopback_only: bool = False,
    ) -> NetworkGuard:
        """A guard allowing each start URL's host on its effective port only, and each
        ``--allow-domain`` value as written (no port: any port)."""
        return cls([*start_urls, *allow_domains], loopback_only=loopback_only)

    def check(self, url: str) -> GuardDecision:
        """May the crawler request ``url``? Never raises."""
        try:
            parts = _split_as_browser(url)
        except (ValueError, UnicodeError, TypeError, AttributeError):
            return GuardDecision(False, "bad_url")
        key = (parts.scheme, parts.netloc)
        decision = self._decided.get(key)
        if decision is None:
            decision = self._check_authority(*key)
            if len(self._decided) >= _DECISIONS_KEPT:
                self._decided.clear()
            self._decided[key] = decision
        return decision

    def _check_authority(self, scheme: str, netloc: str) -> GuardDecision:
        try:
            parsed = _parse_authority(scheme, netloc)
        except (ValueError, UnicodeError, TypeError, AttributeError):
            return GuardDecision(False, "bad_url")
        if isinstance(parsed, GuardDecision):
            return parsed
        host, port = parsed
        return self._decide(host, port)

    def check_resolved(self, host: str, addresses: list[str]) -> GuardDecision:
        """May the crawler connect to ``host`` now that it resolved to ``addresses``?

        Every address must be acceptable, because the connector may use any of
        them. A host the user named may resolve to private addresses; any other
        name resolving to one is DNS rebinding (or a misconfigured zone) and is
        refused. Never raises.
        """
        try:
            target = _parse_host(host.strip().removeprefix("[").removesuffix("]"))
            parsed = [_parse_address(address) for address in addresses]
        except (ValueError, UnicodeError, TypeError, AttributeError):
            return GuardDecision(False, "bad_url")
        resolved = [address for address in parsed if address is not None]
        if target is None or len(resolved) != len(parsed):
            return GuardDecision(False, "bad_url")
        if not resolved:
            return GuardDecision(False, "no_address")
        named = any(_host_matches(allowance, target) for allowance in self._allowances)
        for address in resolved:
            reason = _address_reason(address)
            if self.loopback_only and reason != "loopback_address":
                return GuardDecision(False, "not_loopback")
            if reason != "ok" and not named:
                return GuardDecision(False, reason)
        return GuardDecision(True, "allowed_host" if named else "ok")

    def _decide(self, host: _Host, port: int) -> GuardDecision:
        reason = _address_reason(host.address) if host.address else _name_reason(host.name)
        if self.loopback_only and reason != "loopback_address":
            return GuardDecision(False, "not_loopback")
        matches = [allowance for allowance in self._allowances if _host_matches(allowance, host)]
        if any(allowance.port in (None, port) for allowance in matches):
            return GuardDecision(True, "allowed_host" if reason != "ok" else "ok")
        if reason == "ok":
            return GuardDecision(True, "ok")
        return GuardDecision(False, "port_not_allowed" if matches else reason)


def _parse_url(url: str) -> tuple[_Host, int] | GuardDecision:
    parts = _split_as_browser(url)
    return _parse_authority(parts.scheme, parts.netloc)


def _split_as_browser(url: str) -> SplitResult:
    return urlsplit(url.translate(_REMOVED_CHARS).strip(_C0_AND_SPACE))


def _parse_authority(scheme: str, netloc: str) -> tuple[_Host, int] | GuardDecision:
    """The host and effective port of a URL's scheme and ``netloc`` (from ``urlsplit``
    of the URL as a browser cleans it)."""
    if scheme not in _DEFAULT_PORTS:
        return GuardDecision(False, "bad_scheme")
    # Browsers read "\" as "/" in http(s) URLs, Python does not: the two would
    # disagree on the host, so neither reading is trusted.
    if not netloc or "\\" in netloc:
        return GuardDecision(False, "bad_url")
    hostinfo = netloc.rpartition("@")[2]
    if hostinfo.startswith("["):
        raw_host, _, raw_port = hostinfo[1:].partition("]")
        if raw_port and not raw_port.startswith(":"):
            return GuardDecision(False, "bad_url")
        raw_port = raw_port[1:]
        host = _parse_ipv6_literal(raw_host)
    else:
        raw_host, _, raw_port = hostinfo.partition(":")
        host = _parse_host(raw_host)
    if host is None:
        return GuardDecision(False, "bad_url")
    port = _parse_port(raw_port, scheme)
    if port is None:
        return GuardDecision(False, "bad_url")
    return host, port


def _parse_port(raw: str, scheme: str) -> int | None:
    if not raw:
        return _DEFAULT_PORTS[scheme]
    if not raw.isascii() or not raw.isdigit() or len(raw) > 5:
        return None
    port = int(raw)
    return port if 0 < port < 65536 else None


def _parse_ipv6_literal(raw: str) -> _Host | None:
    address = _parse_address(unquote_to_bytes(raw).decode("ascii"))
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    return _Host(str(address), _canonical(address))


def _parse_host(raw: str) -> _Host | None:
    """A host as the WHATWG URL parser reads it, or None when it is invalid."""
    if not raw:
        return None
    if ":" in raw:  # a bare IPv6 address (check_resolved, allowance entries)
        address = _parse_address(raw)
        return _Host(str(address), _canonical(address)) if address else None
    decoded = unquote_to_bytes(raw).decode("utf-8")
    name = decoded.lower() if decoded.isascii() else decoded.encode("idna").decode("ascii")
    name = name.lower().removesuffix(".")
    if not name or len(name) > _MAX_HOST_LENGTH or not _HOST_CHARS_RE.fullmatch(name):
        return None
    if _ends_in_number(name):
        address = _parse_ipv4_number(name)
        return _Host(str(address), address) if address else None
    return _Host(name, None)


def _ends_in_number(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    if last.isdigit():
        return True
    return last[:2] == "0x" and all(char in "0123456789abcdef" for char in last[2:])


def _parse_ipv4_number(name: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address a host made of numbers means: ``127.1``, ``0x7f.1``,
    ``017700000001`` and ``2130706433`` are all 127.0.0.1 to browsers and to
    ``inet_aton``; a host that ends in a number but does not parse is invalid."""
    labels = name.split(".")
    if len(labels) > 4:
        return None
    numbers: list[int] = []
    for label in labels:
        number = _parse_ipv4_part(label)
        if number is None:
            return None
        numbers.append(number)
    *leading, last = numbers
    if any(number > 255 for number in leading) or last >= 256 ** (5 - len(numbers)):
        return None
    value = last
    for index, number in enumerate(leading):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _parse_ipv4_part(label: str) -> int | None:
    base = 10
    if label[:2] == "0x":
        label, base = label[2:], 16
    elif len(label) > 1 and label.startswith("0"):
        label, base = label[1:], 8
    if not label:
        return 0 if base == 16 else None
    try:
        return int(label, base) if label.isalnum() and label.isascii() else None
    except ValueError:
        return None


def _parse_address(raw: str) -> IPAddress | None:
    raw = raw.strip().removeprefix("[").removesuffix("]")
    try:
        return ipaddress.ip_address(raw.split("%", 1)[0])  # the zone does not change the class
    except ValueError:
        return None


def _canonical(address: IPAddress) -> IPAddress:
    """An IPv4-mapped IPv6 address is the IPv4 address (the kernel connects there)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _address_reason(address: IPAddress) -> str:
    address = _canonical(address)
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return _address_reason(embedded)
    if address.is_unspecified:
        return "unspecified_address"
    if address.is_loopback:
        return "loopback_address"
    if address.is_link_local:
        return "link_local_address"
    if address.is_multicast:
        return "multicast_address"
    if any(address in network for network in _PRIVATE_NETWORKS):
        return "private_address"
    if isinstance(address, ipaddress.IPv6Address) and address in _IPV4_COMPATIBLE:
        return "reserved_address"
    if not address.is_global:
        return "reserved_address"
    return "ok"


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address a NAT64 or 6to4 gateway would connect to for ``address``."""
    if any(address in network for network in _NAT64_NETWORKS):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _SIX_TO_FOUR:
        return address.sixtofour
    return None


def _name_reason(name: str) -> str:
    if name in _LOOPBACK_NAMES or name.endswith(".localhost"):
        return "loopback_address"  # RFC 6761: always the loopback interface
    if name.endswith(".local"):
        return "link_local_address"  # mDNS
    if "." not in name or name.endswith(_INTERNAL_SUFFIXES):
        return "internal_name"  # completed by search domains or private by convention
    return "ok"


def _host_matches(allowance: _Allowance, host: _Host) -> bool:
    if allowance.host.address is not None or host.address is not None:
        return allowance.host.address == host.address
    if allowance.host.name == host.name:
        return True
    return allowance.subdomains and host.name.endswith("." + allowance.host.name)


def allowed_domain_problem(entry: str) -> str | None:
    """Why ``entry`` cannot be an ``allowed_hosts`` entry, or None when it can.

    >>> allowed_domain_problem("example.org"), allowed_domain_problem("exa mple")
    (None, "allowed host 'exa mple': not a host name or address")
    """
    try:
        _parse_allowance(entry)
    except (ValueError, UnicodeError) as exc:
        return str(exc)
    return None


def _parse_allowance(entry: str) -> _Allowance:
    """Read one ``allowed_hosts`` entry; a malformed one is a configuration error."""
    text = entry.strip()
    if "://" in text:
        parsed = _parse_url(text)
        if isinstance(parsed, GuardDecision):
            raise ValueError(f"allowed host {entry!r}: not an http(s) URL ({parsed.reason})")
        return _Allowance(parsed[0], parsed[1], subdomains=False)
    subdomains = text.startswith((".", "*."))
    text = text.removeprefix("*").removeprefix(".")
    port: int | None = None
    if text.startswith("["):
        raw_host, _, rest = text[1:].partition("]")
        if rest:
            port = _parse_port(rest.removeprefix(":"), "http") if rest.startswith(":") else None
            if port is None:
                raise ValueError(f"allowed host {entry!r}: invalid port")
        host = _parse_ipv6_literal(raw_host)
    elif text.count(":") == 1:
        raw_host, _, raw_port = text.partition(":")
        port = _parse_port(raw_port, "http") if raw_port else None
        if port is None:
            raise ValueError(f"allowed host {entry!r}: invalid port")
        host = _parse_host(raw_host)
    else:
        host = _parse_host(text)
    if host is None:
        raise ValueError(f"allowed host {entry!r}: not a host name or address")
    return _Allowance(host, port, subdomains=subdomains and host.address is None)
