"""Which URLs citevault may fetch: the SSRF policy.

Only http and https, and only public addresses.  An address is judged after
every spelling has been reduced to one canonical IP (decimal ``2130706433``,
hex ``0x7f.1``, octal ``0177.0.0.1``, IPv4-mapped or NAT64 IPv6) and after DNS
resolution, so that a public-looking name resolving to 127.0.0.1 is refused as
well.  The crawler applies the same checks to the address it actually
connected to and to every redirect hop.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from archive.errors import BlockedByPolicyError, FetchError, HostNotFoundError

ALLOWED_SCHEMES = frozenset({"http", "https"})
# The setting behind every address refusal: the reason a job records names it,
# so that whoever reads `citevault jobs` knows what to change.
PRIVATE_SETTING = "fetch.block_private_addresses"
ROBOTS_SETTING = "fetch.obey_robots_txt"
REDIRECTS_SETTING = "fetch.max_redirects"
# Not a setting: no configuration makes citevault fetch another scheme.
SCHEME_POLICY = "http and https only"
SCHEME_REFUSED = "is not http or https"
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_HINT = (
    "citevault only fetches public http(s) addresses; to archive a private network, "
    f"set {PRIVATE_SETTING} = false"
)


def refusal(url: str, problem: str) -> str:
    """The reason given for a URL the address policy refuses."""
    return f"refused to fetch {url}: {problem} ({PRIVATE_SETTING} is on)"


def parse_ip(host: str) -> IPAddress | None:
    """The IP a host string denotes, accepting every legacy IPv4 spelling."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if (
        host
        and all(c in "0123456789abcdefxABCDEFX." for c in host)
        and any(c.isdigit() for c in host)
    ):
        try:
            # inet_aton accepts the forms browsers and libc do: 127.1, 0x7f000001, 017700000001.
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _embedded_v4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip in _NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if ip.sixtofour is not None:
            return ip.sixtofour
        if ip.teredo is not None:
            return ip.teredo[1]
    return None


def address_problem(ip: IPAddress) -> str | None:
    """Why this address may not be fetched, or None if it is a public one."""
    inner = _embedded_v4(ip)
    if inner is not None:
        problem = address_problem(inner)
        return f"{problem} (embedded in {ip})" if problem else None
    for attr, label in (
        ("is_loopback", "loopback"),
        ("is_link_local", "link-local"),
        ("is_multicast", "multicast"),
        ("is_unspecified", "unspecified"),
        ("is_private", "private"),
        ("is_reserved", "reserved"),
    ):
        if getattr(ip, attr):
            return f"{label} address {ip}"
    if not ip.is_global:
        return f"non-public address {ip}"
    return None


def check_ip(ip: str | IPAddress, url: str = "") -> None:
    addr = ip if not isinstance(ip, str) else parse_ip(ip)
    if addr is None:
        raise BlockedByPolicyError(f"not an IP address: {ip!r}")
    problem = address_problem(addr)
    if problem:
        raise BlockedByPolicyError(refusal(url or str(addr), problem), hint=_HINT)


def check_url(url: str, *, block_private: bool = True) -> tuple[str, int]:
    """Validate scheme and host of ``url``; return (host, port) for resolution."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BlockedByPolicyError(f"malformed URL {url!r}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise BlockedByPolicyError(
            f"refused to fetch {url!r}: scheme {scheme or '(none)'!r} {SCHEME_REFUSED}",
            hint="give an http:// or https:// URL",
        )
    host = parts.hostname
    if not host:
        raise BlockedByPolicyError(f"URL {url!r} has no host")
    if port is None:
        port = 443 if scheme == "https" else 80
    if block_private:
        literal = parse_ip(host)
        if literal is not None:
            check_ip(literal, url)
        elif host.rstrip(".").lower() in ("localhost",) or host.lower().endswith(".localhost"):
            raise BlockedByPolicyError(refusal(url, f"loopback name {host}"), hint=_HINT)
    return host, port


def resolve(host: str, port: int, url: str = "", *, block_private: bool = True) -> list[str]:
    """Resolve ``host``; with the policy on, every address must be public.

    All addresses are checked, not just the first: a name answering with one
    public and one private address must not become a way in.
    """
    literal = parse_ip(host)
    if literal is not None:
        if block_private:
            check_ip(literal, url)
        return [str(literal)]
    never = never_resolves(host)
    if never is not None:
        raise HostNotFoundError(f"no such host {host!r}: {never}", hint="check the URL's host name")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        if exc.errno == socket.EAI_NONAME:
            # NXDOMAIN: the name has no entry at all.  A failing or unreachable
            # DNS server answers EAI_AGAIN or EAI_FAIL instead: worth a retry.
            raise HostNotFoundError(
                f"no such host {host!r} ({exc.strerror})",
                hint="check the URL's host name; the name is not in DNS",
            ) from None
        raise FetchError(
            f"cannot resolve host {host!r}: {exc.strerror}",
            hint="check the URL's host name and your DNS",
        ) from None
    addresses = sorted({str(info[4][0]) for info in infos})
    if block_private:
        for address in addresses:
            check_ip(address, url or host)
    return addresses


# RFC 6761 section 6.4: "invalid." and every name under it are guaranteed not
# to exist, and name lookup APIs SHOULD answer NXDOMAIN without asking DNS.
_NEVER_RESOLVES = ("invalid",)


def never_resolves(host: str) -> str | None:
    """Why ``host`` can never resolve (a special-use name), or None when it may."""
    name = host.rstrip(".").lower()
    for tld in _NEVER_RESOLVES:
        if name == tld or name.endswith("." + tld):
            return f"names under .{tld} never resolve (RFC 6761)"
    return None
