"""A page answered 200 whose main content says there is no such document, or no
result, is a `soft_404`: pages shaped like French official sites', served on
127.0.0.1, checked by `sommaire check-links --url`. A page that only mentions
the words (a FAQ's advice, a long article, a footer link) is no alarm.

The wording is the one French public sites use: the DSFR's model error page
("Page non trouvée", "La page que vous cherchez est introuvable", "La page
n’est peut-être plus disponible"), search pages ("Aucun résultat ne
correspond à votre recherche") and document pages ("Le document demandé
n’existe plus")."""

import pytest

from tests.linkcheck.test_check_links import check_links
from tests.watch.site import LocalSite

HEADER = """
<header role="banner" class="fr-header">
  <p class="fr-logo">République<br>Française</p>
  <p class="fr-header__service-title">{site}</p>
  <form role="search"><label for="q">Rechercher</label><input id="q" name="q"></form>
  <nav class="fr-nav" aria-label="Menu principal">
    <ul><li><a href="/actualites">Actualités</a></li>
    <li><a href="/documentation">Documentation</a></li>
    <li><a href="/contact">Nous contacter</a></li></ul>
  </nav>
</header>"""
FOOTER = """
<footer class="fr-footer" role="contentinfo">
  <ul><li><a href="/plan">Plan du site</a></li>
  <li><a href="/accessibilite">Accessibilité : non conforme</a></li>
  <li><a href="/aide">Une page introuvable ? Un lien qui n’existe plus ? Signalez-le</a></li></ul>
</footer>"""


def dsfr_page(site: str, title: str, main: str) -> str:
    """A page of a DSFR site: header, navigation and footer around `main`."""
    return (
        f"<!doctype html><html lang=fr><head><title>{title} | {site}</title></head><body>"
        f"{HEADER.format(site=site)}<main id=main role=main>"
        '<nav class="fr-breadcrumb"><a href="/">Accueil</a></nav>'
        f"{main}</main>{FOOTER}</body></html>"
    )


def legacy_page(site: str, title: str, content: str) -> str:
    """An older site without <main>: a content div between header and footer."""
    return (
        f"<!doctype html><html lang=fr><head><title>{title}</title></head><body>"
        f'<div id="header"><h1>{site}</h1><ul class="menu"><li>Accueil</li></ul></div>'
        f'<div id="content">{content}</div>'
        '<div id="footer">Mentions légales — Plan du site</div></body></html>'
    )


ARTICLE = " ".join(
    [
        "Lorsque vous vérifiez les liens de votre site, une page introuvable renvoie en principe",
        "une erreur 404.",
    ]
    + ["Les équipes régionales suivent les publications du programme et les relaient."] * 40
    + ["Un document qui n’existe plus doit être retiré du sommaire."]
)

EMPTY_ANSWERS = {
    "/dsfr-erreur": dsfr_page(
        "Agence du Numérique en Santé",
        "Accueil",
        "<h1>Oups !</h1><p class=fr-text--lead>La page que vous cherchez est introuvable. "
        "Excusez-nous pour la gêne occasionnée.</p><p>Si vous avez tapé l’adresse web dans le "
        "navigateur, vérifiez qu’elle est correcte. La page n’est peut-être plus disponible.</p>",
    ),
    "/espace-industriels/documents/dsr-hop-dpi-va9": dsfr_page(
        "Espace industriels",
        "Documents",
        "<h1>Documentation</h1><form><select name=profil><option>DPI</option></select></form>"
        "<p>Aucun document ne correspond à vos critères.</p>",
    ),
    "/textes/recherche/JORFTEXT000099999999": dsfr_page(
        "Légifrance",
        "Recherche",
        "<h1>Rechercher dans les textes</h1><p>0 résultat pour votre recherche.</p>"
        "<p>Aucun résultat ne correspond à votre recherche. Vérifiez l’orthographe des mots.</p>",
    ),
    "/fiches/F99999": dsfr_page(
        "Service Public",
        "Fiche pratique",
        "<h1>Fiche pratique</h1><div class=fr-alert><p>Le contenu que vous avez demandé "
        "n’existe plus ou a été déplacé.</p></div>",
    ),
    "/assure/documents/ancien-formulaire": legacy_page(
        "Assurance Maladie",
        "Formulaires",
        "<h2>Formulaires</h2><p>Le document demandé n’est plus disponible.</p>",
    ),
    "/ars/publications/appel-a-projets-2023": dsfr_page(
        "ARS Occitanie",
        "Publications",
        "<h1>Publications</h1><p>Cette publication a été retirée.</p>",
    ),
}

FINE_PAGES = {
    "/faq": dsfr_page(
        "Agence du Numérique en Santé",
        "Questions fréquentes",
        "<h1>Questions fréquentes</h1><h2>Que faire si un lien ne fonctionne plus ?</h2>"
        "<p>Si la page est introuvable, contactez le support par le formulaire. Lorsque le "
        "document n’existe plus, son successeur est indiqué dans la fiche.</p>",
    ),
    "/article-liens": dsfr_page(
        "Santé", "Vérifier ses liens", f"<h1>Vérifier ses liens</h1><p>{ARTICLE}</p>"
    ),
    "/documentation": dsfr_page(
        "Espace industriels",
        "Documentation",
        '<h1>Documentation</h1><ul><li><a href="/doc.pdf">DSR — DPI, Va1</a></li></ul>'
        "<aside><p>Aucun résultat pour cette catégorie.</p></aside>",
    ),
    "/accueil-legacy": legacy_page(
        "Assurance Maladie", "Accueil", "<h2>Bienvenue</h2><p>Vos démarches en ligne.</p>"
    ),
}


@pytest.fixture
def official_site(segur):
    with LocalSite() as site:
        for path, body in {**EMPTY_ANSWERS, **FINE_PAGES}.items():
            site.set(path, body)
        yield site


def status_of(site, path: str) -> dict:
    [line] = check_links("--url", site.url(path), "--format", "json")
    return line


@pytest.mark.parametrize("path", EMPTY_ANSWERS)
def test_a_page_whose_main_content_says_there_is_nothing_there_is_a_soft_404(official_site, path):
    line = status_of(official_site, path)

    assert (line["status"], line["http_status"]) == ("soft_404", 200)
    assert "aucun résultat" in line["error"] or "annonce" in line["error"]


@pytest.mark.parametrize("path", FINE_PAGES)
def test_a_page_that_only_mentions_the_words_is_no_alarm(official_site, path):
    assert status_of(official_site, path)["status"] == "ok"
