"""From what the fetcher saw to one status word.

Each rule has the same shape, `rule(result, expects_document) -> (status,
error) | None`, and the first rule that answers wins: adding a status is
adding a rule at the right place in RULES.
"""

import re
import unicodedata

from selectolax.lexbor import LexborHTMLParser

from sommaire.fetch import client
from sommaire.fetch.client import FetchResult
from sommaire.linkcheck.models import Status

HTML_TYPES = {"text/html", "application/xhtml+xml"}
# Enough of an HTML page to reach its main content: an official site's
# header, menus and inline icons often take 50 to 100 KB before it.
SNIFF_BYTES = 256 * 1024

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

# What the main content of a 200 page says when there is nothing there, as
# French official sites word it (the DSFR's model error page: "La page que
# vous cherchez est introuvable", "La page n'est peut-être plus disponible";
# search and document pages: "Aucun résultat ne correspond à votre
# recherche", "Le document demandé n'existe plus"), accents and case folded.
# A statement, not a mention: "si la page est introuvable, contactez..."
# is a FAQ's advice (see CONDITIONAL), and a long article that quotes the
# words is an article (see SHORT_MAIN_WORDS).
THING = r"(?:page|document|texte|fichier|ressource|contenu|article|fiche|publication|lien)"
WANTED = (
    r"(?:que vous (?:re)?cherchez|que vous avez demandee?|demandee?|recherchee?|souhaitee?"
    r"|a laquelle vous (?:souhaitez|tentez d'|essayez d')acceder)"
)
GONE = (
    "(?:"
    + "|".join(
        [
            r"est (?:momentanement |temporairement )?(?:introuvable|indisponible|inexistante?)",
            r"n'existe (?:pas|plus)",
            r"n'est (?:peut-etre )?plus (?:disponible|en ligne|accessible)",
            r"n'a pas ete trouvee?",
            r"(?:a|ont) ete (?:supprimee?|deplacee?|retiree?)s?",
            r"a change d'adresse",
        ]
    )
    + ")"
)
NOT_FOUND_STATEMENTS = re.compile(
    rf"\b{THING} (?:{WANTED} )?{GONE}"
    rf"|\b{THING} {WANTED} (?:introuvable|inexistante?)\b"
    r"|\baucune? (?:resultat|document|texte|element|contenu|publication|reponse|fiche)s? "
    r"(?:ne correspond|n'a ete trouve|trouve|disponible|pour (?:cette|votre) recherche)"
    r"|\bvotre recherche n'a (?:donne|retourne|produit) aucun"
    r"|\b0 (?:resultat|document)s? (?:trouve|pour)"
    r"|\bpage (?:introuvable|non trouvee)\b|\berreur 404\b"
)
# A statement preceded closely by one of these is advice, not news: "si la
# page est introuvable", "lorsque le document n'existe plus", "au cas où".
CONDITIONAL = re.compile(r"\b(?:si|s'il|lorsqu'?e?|quand|au cas ou|en cas de?|dans le cas ou)\b")
CONDITIONAL_REACH = 40  # characters before a statement where "si ..." still governs it
# A not-found page says little: past this many words of main content, the
# page is an article that mentions the words, unless a heading says it.
SHORT_MAIN_WORDS = 250
MAIN = ("main", "[role=main]", "#main", "#main-content", "#contenu", "#content", "article")
CHROME = ("header", "nav", "footer", "aside", "script", "style", "noscript", "select")

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


def main_says_not_found(body: bytes) -> bool:
    """The main content of a page states there is no such document, or no result.

    The main content is the page's `main` (or its equivalent), else the body
    without header, navigation, footer and side column: a site's footer
    link "Page introuvable ?" says nothing about this page. A heading of
    the main content that states it is enough; a paragraph must state it
    (not advise "si la page est introuvable…") in a short main content.
    """
    tree = LexborHTMLParser(body.decode("utf-8", "replace"))
    main = next((node for node in map(tree.css_first, MAIN) if node is not None), tree.body)
    if main is None:
        return False
    for node in main.css(", ".join(CHROME)):
        node.decompose()
    headings = " . ".join(h.text(separator=" ") for h in main.css("h1, h2, h3"))
    if _states_not_found(_fold(headings)):
        return True
    text = _fold(main.text(separator=" "))
    return len(text.split()) <= SHORT_MAIN_WORDS and _states_not_found(text)


def _states_not_found(text: str) -> bool:
    for match in NOT_FOUND_STATEMENTS.finditer(text):
        before = text[max(0, match.start() - CONDITIONAL_REACH) : match.start()]
        clause = re.split(r"[.;:!?]", before)[-1]
        if not CONDITIONAL.search(clause):
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


def empty_answer(result, expects_document):
    if result.status == 200 and is_html(result) and main_says_not_found(result.body or b""):
        return Status.SOFT_404, "la page répond qu’il n’y a pas de tel document ou aucun résultat"
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
    empty_answer,
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
