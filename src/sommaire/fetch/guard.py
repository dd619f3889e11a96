"""The address guard: Sommaire never reaches an internal address.

A catalog URL, or a redirect a remote server sends us, must not turn the
fetcher into a way to reach the machine itself, the local network or a cloud
metadata service. Two checks, both on what is actually dialled:

- `check_url` before every request (and every redirect hop): only `http` and
  `https`, no credentials, and a host written as an IP address in any spelling
  a browser or the C resolver accepts (`2130706433`, `0x7f.1`, `127.1`,
  `[::ffff:127.0.0.1]`, percent-encoded digits) is read as that address and
  checked. Such hosts never reach a resolver, so this is their only check.
- `GuardedResolver`, given to aiohttp's connector: it resolves a name, checks
  every address of the answer, and returns only those, so the connector
  connects to exactly the addresses that were checked. Resolving once and
  connecting to that answer is what defeats DNS rebinding (a name that
  answers a public address to the check and a private one to the connection).
"""

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import unquote

from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

SCHEMES = {"http", "https"}
SHARED = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
# Link-local holds the cloud metadata services (169.254.169.254, fd00:ec2::254
# is private anyway): refused even when a deployment allows other networks.
ALWAYS_REFUSED = (ipaddress.ip_network("169.254.0.0/16"), ipaddress.ip_network("fe80::/10"))


class Blocked(Exception):
    """A URL or an address the guard refuses; the message says why, in French."""


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """CIDR strings to networks; a bad one raises ValueError naming it."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ValueError(f"{value!r} is not a network in CIDR notation") from None
    return tuple(networks)


def _ipv4_number(part: str) -> int | None:
    """One dotted part as a browser reads it: 0x.. is hex, a leading 0 octal."""
    radix = 10
    if part[:2].lower() == "0x":
        radix, part = 16, part[2:]
    elif len(part) > 1 and part.startswith("0"):
        radix, part = 8, part[1:]
    if part == "":
        return 0
    try:
        return int(part, radix) if part.isascii() and part.isalnum() else None
    except ValueError:
        return None


def _ends_in_number(parts: list[str]) -> bool:
    last = parts[-1]
    if last.isascii() and last.isdigit():
        return True
    return last[:2].lower() == "0x" and all(c in "0123456789abcdefABCDEF" for c in last[2:])


def parse_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address a host spells, by the WHATWG URL rules, or None for a name.

    A host whose last label is a number but that is no valid address is
    refused outright, as browsers refuse it.
    """
    parts = host.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    if not parts or parts[-1] == "" or not _ends_in_number(parts):
        return None
    numbers = [_ipv4_number(part) if part else None for part in parts]
    if len(parts) > 4 or None in numbers:
        raise Blocked("adresse IP mal formée")
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        raise Blocked("adresse IP mal formée")
    value = last + sum(n * 256 ** (3 - i) for i, n in enumerate(head))
    return ipaddress.IPv4Address(value)


def parse_ip(host: str) -> IPAddress | None:
    """The address a URL host spells, if it spells one; None for a name."""
    host = unquote(host).strip("[]")
    if ":" in host:
        if "%" in host:
            raise Blocked("adresse IPv6 avec zone refusée")
        try:
            return ipaddress.IPv6Address(host)
        except ValueError:
            raise Blocked("adresse IPv6 mal formée") from None
    return parse_ipv4(host)


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries: mapped, 6to4, Teredo, NAT64, compatible."""
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if address in NAT64 or (address in IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _is_special(address: IPAddress) -> bool:
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or address in SHARED
        or not address.is_global
    )


class AddressGuard:
    """Decides whether an address may be dialled."""

    def __init__(self, allowed_networks: Iterable[Network] = ()):
        self.allowed = tuple(allowed_networks)
        # host as written -> canonical address ("" for a name) or why it is refused.
        # A verdict depends on the host string and `allowed` only, both fixed.
        self._verdicts: dict[str, str | Blocked] = {}

    def check(self, address: IPAddress) -> None:
        """Return if `address` may be dialled, else raise Blocked."""
        candidates = [address]
        if isinstance(address, ipaddress.IPv6Address):
            inner = embedded_ipv4(address)
            if inner is not None:
                candidates.append(inner)
        for candidate in candidates:
            if any(candidate in network for network in ALWAYS_REFUSED):
                raise Blocked(f"adresse réservée refusée ({address})")
            if any(candidate.version == n.version and candidate in n for n in self.allowed):
                continue
            if _is_special(candidate):
                raise Blocked(f"adresse interne ou réservée refusée ({address})")

    def check_url(self, url: URL) -> URL:
        """The URL to request, with an IP host in canonical form; Blocked if refused."""
        if url.scheme not in SCHEMES:
            raise Blocked(f"protocole refusé ({url.scheme or 'aucun'}:)")
        if url.raw_user or url.raw_password:
            raise Blocked("identifiants dans l’adresse refusés")
        host = url.raw_host or ""
        if not host:
            raise Blocked("adresse sans nom d’hôte")
        verdict = self._verdicts.get(host)
        if verdict is None:
            verdict = self._judge_host(host)
            if len(self._verdicts) < 10_000:
                self._verdicts[host] = verdict
        if isinstance(verdict, Blocked):
            raise Blocked(str(verdict))
        return url if verdict in ("", host) else url.with_host(verdict)

    def _judge_host(self, host: str) -> str | Blocked:
        try:
            address = parse_ip(host)
            if address is None:
                if "%" in host:
                    raise Blocked("nom d’hôte mal formé")
                return ""
            self.check(address)
        except Blocked as blocked:
            return blocked
        return str(address)


Lookup = Callable[..., Awaitable[list]]


class GuardedResolver(AbstractResolver):
    """Resolve with getaddrinfo, check every address, return only checked ones."""

    def __init__(self, guard: AddressGuard, lookup: Lookup | None = None):
        self.guard = guard
        self._lookup = lookup

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        lookup = self._lookup or asyncio.get_running_loop().getaddrinfo
        infos = await lookup(host, port, type=socket.SOCK_STREAM, family=family)
        results: list[ResolveResult] = []
        for info_family, _, proto, _, sockaddr in infos:
            address = ipaddress.ip_address(sockaddr[0])
            # One forbidden address refuses the whole name: a name that mixes
            # public and internal answers is not one we want to reach at all.
            self.guard.check(address)
            results.append(
                ResolveResult(
                    hostname=host,
                    host=str(address),
                    port=sockaddr[1],
                    family=info_family,
                    proto=proto,
                    flags=socket.AI_NUMERICHOST | socket.AI_NUMERICSERV,
                )
            )
        if not results:
            raise OSError(f"no address for {host}")
        return results

    async def close(self) -> None:
        return None
