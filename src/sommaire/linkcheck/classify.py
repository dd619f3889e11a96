"""From what the fetcher saw to one status word.

Each rule has the same shape, `rule(result, expects_document) -> (status,
error) | None`, and the first rule that answers wins: adding a status is
adding a rule at the right place in RULES.
"""

import re
import unicodedata

from sommaire.fetch import client
from sommaire.fetch.client import FetchResult
from sommaire.linkcheck.models import Status

HTML_TYPES = {"text/html", "application/xhtml+xml"}
SNIFF_BYTES = 64 * 1024

# Matched in the <title> and first <h1> of a 200 page, accents and case folded.
ERROR_PAGE_WORDS = re.compile(
    r"\b404\b|page (?:introuvable|non trouvee|inexistante|not found)"
    r"|(?:document|fichier|ressource|contenu|page) (?:introuvable|indisponible|supprime)"
    r"|n'existe (?:pas|plus)|erreur 404|not found|does not exist|no longer (?:exists|available)"
    r"|cannot be found|could not be found"
)
TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
H1 = re.compile(rb"<h1[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)
TAG = re.compile(r"<[^>]+>")

NETWORK_ERRORS = {
    client.BLOCKED: Status.BLOCKED,
    client.INVALID_URL: Status.BLOCKED,
    client.TLS: Status.TLS_ERROR,
    client.REDIRECT_LOOP: Status.REDIRECT_ERROR,
    client.TOO_MANY_REDIRECTS: Status.REDIRECT_ERROR,
    client.TIMEOUT: Status.TIMEOUT,
    client.CONNECT_TIMEOUT: Status.TIMEOUT,
    client.DNS: Status.UNREACHABLE,
    client.REFUSED: Status.UNREACHABLE,
    client.RESET: Status.UNREACHABLE,
    client.PROTOCOL: Status.SERVER_ERROR,
}


def is_html(result: FetchResult) -> bool:
    return result.content_type in HTML_TYPES


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())


def page_says_not_found(body: bytes) -> bool:
    """The title or main heading of a page says the page does not exist."""
    texts = [m.group(1) for m in (TITLE.search(body), H1.search(body)) if m]
    for raw in texts:
        text = _fold(TAG.sub(" ", raw.decode("utf-8", "replace")))
        if ERROR_PAGE_WORDS.search(text):
            return True
    return False


def network_error(result, expects_document):
    if result.error:
        return NETWORK_ERRORS.get(result.error, Status.UNREACHABLE), result.error_detail
    return None


def gone(result, expects_document):
    if result.status in (404, 410):
        return Status.BROKEN, f"HTTP {result.status}"
    return None


def restricted(result, expects_document):
    if result.status in (401, 403):
        return Status.RESTRICTED, f"HTTP {result.status}"
    return None


def server_error(result, expects_document):
    # 429 after our retries is a busy server, not a dead document.
    if result.status == 429 or (result.status or 0) >= 500:
        return Status.SERVER_ERROR, f"HTTP {result.status}"
    return None


def other_client_error(result, expects_document):
    if (result.status or 0) >= 400:
        return Status.BROKEN, f"HTTP {result.status}"
    return None


def html_instead_of_document(result, expects_document):
    if expects_document and result.status == 200 and is_html(result):
        return Status.SOFT_404, "page HTML à la place du document"
    return None


def error_page(result, expects_document):
    if result.status == 200 and is_html(result) and page_says_not_found(result.body or b""):
        return Status.SOFT_404, "la page annonce qu’elle n’existe pas"
    return None


def answered(result, expects_document):
    if result.redirects:
        return Status.REDIRECTED, ""
    return Status.OK, ""


RULES = [
    network_error,
    gone,
    restricted,
    server_error,
    other_client_error,
    html_instead_of_document,
    error_page,
    answered,
]


def classify(result: FetchResult, expects_document: bool) -> tuple[str, str]:
    """(status, error) for one fetch result."""
    for rule in RULES:
        verdict = rule(result, expects_document)
        if verdict is not None:
            return verdict
    raise AssertionError("the last rule always answers")


def needs_get(head: FetchResult) -> bool:
    """A HEAD answer is not enough when it is HTML: the page must be read to judge it."""
    return head.status == 200 and is_html(head)
