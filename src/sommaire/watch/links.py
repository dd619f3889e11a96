"""Links of an official page: extraction, normalisation, what counts as a publication.

Framework-free and side-effect-free, so the rules are tested on strings.

Two spellings of one address must compare equal, or a page that adds
`?utm_source=...` to its links, or writes `HTTPS://ESANTE.gouv.fr/a%2ddoc.pdf`,
would announce every document again. `normalise_url` settles one spelling:
lower-case scheme and host (IDNA), no default port, no user info, no
fragment, no tracking parameters, percent-encoding in one form (unreserved
characters decoded, escapes upper-case, spaces and non-ASCII encoded).
"""

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser

DOCUMENT_EXTENSIONS = {"pdf", "xlsx", "xls", "docx", "pptx", "odt", "zip", "csv"}
DEFAULT_PORTS = {"http": 80, "https": 443}
TRACKING_PARAMETER = re.compile(
    r"^(utm_[a-z_]*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|xtor|"
    r"_hsenc|_hsmi|mkt_tok|at_[a-z_]+|pk_[a-z_]+|mtm_[a-z_]+)$",
    re.IGNORECASE,
)
LEGIFRANCE_HOSTS = {"legifrance.gouv.fr", "www.legifrance.gouv.fr"}
LEGIFRANCE_TEXT = re.compile(r"(JORFTEXT|LEGITEXT|JORFARTI|LEGIARTI)\d+|/eli/", re.IGNORECASE)
SHARING_HOSTS = re.compile(
    r"(^|\.)(facebook\.com|twitter\.com|x\.com|linkedin\.com|t\.co|bsky\.app|mastodon\.[a-z]+|"
    r"whatsapp\.com|pinterest\.[a-z]+|reddit\.com|addtoany\.com|sharethis\.com)$"
)
SHARING_PATH = re.compile(r"/(share|sharer|sharing|intent/tweet|shareArticle)\b", re.IGNORECASE)
# Parts of a page that are never the page's own content.
CHROME = "header, nav, footer, [role=navigation], [role=banner], [role=contentinfo]"
UNRESERVED = re.compile(r"%([0-9A-Fa-f]{2})")
PATH_SAFE = "%/:@!$&'()*+,;=-._~"
QUERY_SAFE = PATH_SAFE + "?"


@dataclass(frozen=True)
class Link:
    url: str
    text: str = ""


def _escape(match: re.Match) -> str:
    char = chr(int(match.group(1), 16))
    if char.isascii() and (char.isalnum() or char in "-._~"):
        return char
    return "%" + match.group(1).upper()


def _requote(text: str, safe: str) -> str:
    return quote(UNRESERVED.sub(_escape, text), safe=safe)


def _host(raw: str) -> str:
    host = raw.lower().rstrip(".")
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def normalise_url(url: str) -> str | None:
    """One spelling of an http(s) address, or None when it is no usable web address."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    netloc = _host(parts.hostname)
    if ":" in netloc:
        netloc = f"[{netloc}]"
    if port and port != DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    pairs = [p for p in parts.query.split("&") if p]
    kept = [p for p in pairs if not TRACKING_PARAMETER.match(unquote(p.split("=", 1)[0]))]
    query = _requote("&".join(kept), QUERY_SAFE)
    return urlunsplit((scheme, netloc, _requote(parts.path, PATH_SAFE) or "/", query, ""))


def extract_links(html: str | bytes, base_url: str, selector: str = "") -> list[Link]:
    """The links of the part of the page that matters, absolute and normalised.

    The part is `selector` when given, else `main`, else the body; header,
    nav and footer inside it are dropped either way. A link found twice is
    kept once, with the first non-empty text.
    """
    tree = LexborHTMLParser(html)
    base = tree.css_first("base[href]")
    if base is not None:
        base_url = urljoin(base_url, base.attributes.get("href") or "")
    scope = tree.css_first(selector) if selector else tree.css_first("main") or tree.body
    if scope is None:
        return []
    for node in scope.css(CHROME):
        node.decompose()
    found: dict[str, str] = {}
    for anchor in scope.css("a[href]"):
        href = (anchor.attributes.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        url = normalise_url(urljoin(base_url, href))
        if url is None:
            continue
        text = " ".join(anchor.text(separator=" ").split())
        text = text or anchor.attributes.get("title") or anchor.attributes.get("aria-label") or ""
        if not found.get(url):
            found[url] = text.strip()
    return [Link(url, text) for url, text in found.items()]


def asks_for_login(html: str | bytes) -> bool:
    """A login wall: the page holds a password field."""
    tree = LexborHTMLParser(html)
    return tree.css_first("input[type=password]") is not None


def extension(url: str) -> str:
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def is_legifrance_text(url: str) -> bool:
    parts = urlsplit(url)
    return parts.hostname in LEGIFRANCE_HOSTS and bool(LEGIFRANCE_TEXT.search(parts.path))


def is_publication(url: str, source_url: str) -> bool:
    """A document, a Légifrance text, or a page of the source's site below its path.

    Never site chrome, sharing links or navigation: a link back to the page
    itself (pagination, anchors, print view) or elsewhere on the site is not
    a publication.
    """
    parts, source = urlsplit(url), urlsplit(source_url)
    host = parts.hostname or ""
    if SHARING_HOSTS.search(host) or SHARING_PATH.search(parts.path):
        return False
    if extension(url) in DOCUMENT_EXTENSIONS:
        return True
    if is_legifrance_text(url):
        return True
    if host != (source.hostname or "").lower():
        return False
    base = source.path.rstrip("/") + "/"
    return parts.path.startswith(base) and parts.path.rstrip("/") != source.path.rstrip("/")


def publications(links: list[Link], source_url: str) -> list[Link]:
    return [link for link in links if is_publication(link.url, source_url)]
