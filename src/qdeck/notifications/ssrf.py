"""Where a webhook may be sent: URL rules at creation, address rules at every attempt.

A URL is checked when it is stored (syntax, https unless ``QDECK_WEBHOOK_ALLOW_HTTP``).
At delivery its host is resolved and every address checked against loopback, private,
link-local, CGNAT, multicast, unspecified and cloud-metadata ranges, on every attempt (a
name may resolve elsewhere tomorrow: DNS rebinding); the request then goes to the checked
address itself, so a second resolution cannot swap it. ``QDECK_WEBHOOK_ALLOW_PRIVATE``
lifts the address rules (a receiver on this machine or network).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2000
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Beyond what is_private / is_loopback / ... cover: shared address space (RFC 6598),
# and metadata services that are not link-local (AWS's IPv6 one).
_EXTRA_FORBIDDEN = (
    ipaddress.ip_network("100.64.0.0/10"),
    ipaddress.ip_network("fd00:ec2::254/128"),
    ipaddress.ip_network("169.254.169.254/32"),
    ipaddress.ip_network("192.0.0.0/24"),
    ipaddress.ip_network("198.18.0.0/15"),
    ipaddress.ip_network("240.0.0.0/4"),
    ipaddress.ip_network("64:ff9b::/96"),
)


class UrlRefused(ValueError):
    """The URL may not be used; the message says why, for the person who entered it."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    # path?query, as sent in the request line.
    target: str


def parse_url(url: str, *, allow_http: bool) -> Target:
    """The URL's parts, or UrlRefused naming what is wrong with it."""
    if len(url) > MAX_URL_LENGTH:
        raise UrlRefused(f"The URL is longer than {MAX_URL_LENGTH} characters.")
    if any(c.isspace() or ord(c) < 32 for c in url):
        raise UrlRefused("The URL contains spaces or control characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UrlRefused(f"The URL is not valid: {exc}.") from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise UrlRefused("The URL must start with https://.")
    if scheme == "http" and not allow_http:
        raise UrlRefused("The URL must use https (this server does not allow plain http).")
    if not parts.hostname:
        raise UrlRefused("The URL has no host name.")
    if parts.username or parts.password:
        raise UrlRefused("The URL must not contain a user name or password.")
    if parts.fragment:
        raise UrlRefused("The URL must not contain a #fragment.")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    port = port or (443 if scheme == "https" else 80)
    return Target(scheme, parts.hostname.lower(), port, target)


def forbidden(address: IPAddress) -> bool:
    """True for an address a webhook must never reach without the allow setting."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return forbidden(address.ipv4_mapped)
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_unspecified
        or address.is_reserved
        or any(address in network for network in _EXTRA_FORBIDDEN)
    )


async def resolve(host: str, port: int, *, allow_private: bool) -> IPAddress:
    """The address to connect to; UrlRefused when the name does not resolve or any of
    its addresses is forbidden (one bad answer among good ones is refused too)."""
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [literal]
    else:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise UrlRefused(f"The host {host} does not resolve ({exc.strerror or exc}).") from None
        addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
        if not addresses:
            raise UrlRefused(f"The host {host} does not resolve.")
    if not allow_private:
        for address in addresses:
            if forbidden(address):
                raise UrlRefused(
                    f"The host {host} resolves to {address}, a private, loopback, "
                    "link-local or metadata address; webhooks may not be sent there."
                )
    return addresses[0]
