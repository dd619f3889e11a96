"""The shapes of API v1: field names are a contract, each one described.

Resource fields are those of the open-data export (`catalog.exports`), so a
harvester reading the JSON download and a tool reading the API agree. A field
is never renamed or removed within v1; new ones may be added.
"""

import re
from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator

_NUMBER = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")


def _not_a_timestamp(value):
    # Pydantic would read "1700000000" or "0.5" as seconds since 1970; the
    # schema promises an ISO 8601 date, so a number is refused (422).
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
        raise ValueError("une date ISO 8601 est attendue, par exemple 2026-11-25T10:00:00+01:00")
    return value


IsoDatetime = Annotated[datetime, BeforeValidator(_not_a_timestamp)]


class Problem(Schema):
    detail: str = Field(description="Ce qui ne va pas, en français.")


class ValidationProblem(Schema):
    detail: list[dict] = Field(
        description="Un élément par paramètre refusé : où (`loc`), quoi (`msg`), type d’erreur."
    )


class PlacementOut(Schema):
    section: str = Field(description="Identifiant (slug) de la section où la ressource est rangée.")
    group: str = Field(description="Groupe de la section qui la réunit à d’autres ; vide sinon.")


LinkStatus = Literal[
    "ok",
    "redirected",
    "broken",
    "server_error",
    "timeout",
    "unreachable",
    "tls_error",
    "blocked",
    "redirect_error",
    "restricted",
    "soft_404",
]
LINK_STATUS_HELP = (
    "`ok` : accessible ; `redirected` : redirigé ; `broken` : introuvable (404, 410) ; "
    "`server_error` ; `timeout` ; `unreachable` ; `tls_error` : certificat invalide ; "
    "`blocked` : adresse refusée ; `redirect_error` : redirections sans fin ; "
    "`restricted` : accès restreint (401, 403) ; `soft_404` : page d’erreur répondue en 200."
)


class LinkHealthOut(Schema):
    status: LinkStatus = Field(description="État à la dernière vérification. " + LINK_STATUS_HELP)
    status_label: str = Field(description="Cet état, en français.")
    checked_at: datetime | None = Field(description="Date de la dernière vérification (ISO 8601).")
    http_status: int | None = Field(description="Code HTTP de la dernière réponse, ou null.")
    final_url: str = Field(description="Adresse atteinte après redirections ; vide sinon.")
    permanent: bool = Field(description="Vrai si la redirection est permanente (301, 308).")
    confirmed_broken: bool = Field(
        description="Vrai si le lien a échoué à deux vérifications espacées d’un jour au moins, "
        "et à toutes depuis."
    )
    size: int | None = Field(description="Taille du document en octets, si le serveur l’a dite.")
    content_type: str = Field(
        description="Type de contenu annoncé (application/pdf…) ; vide sinon."
    )


class ResourceOut(Schema):
    key: str = Field(description="Identifiant stable de la ressource.")
    url: str = Field(description="Adresse du document publié.")
    title: str = Field(description="Titre de la ressource.")
    section: str | None = Field(description="Section principale (première rangée), ou null.")
    group: str = Field(description="Groupe dans la section principale ; vide sinon.")
    sections: list[PlacementOut] = Field(description="Toutes les sections où elle est rangée.")
    kind: str = Field(description="Type de document (identifiant ; voir /vocabularies).")
    format: str = Field(description="Format (identifiant ; voir /vocabularies).")
    publisher: str = Field(description="Éditeur (identifiant ; voir /vocabularies).")
    profile: str | None = Field(description="Profil logiciel (identifiant), ou null.")
    wave: str | None = Field(description="Vague du Ségur (identifiant), ou null.")
    version: str | None = Field(description="Version du document (Va1, Va2…), ou null.")
    region: str | None = Field(description="Code de la région, ou null pour le national.")
    description: str = Field(description="Ce que contient le document, en une phrase.")
    status: Literal["active", "archived"] = Field(
        description="`active` : en vigueur ; `archived` : retirée du sommaire."
    )
    added_at: datetime = Field(description="Date d’ajout au catalogue (ISO 8601).")
    changed_at: datetime = Field(description="Date de la dernière modification (ISO 8601).")
    page_url: str = Field(description="Page de la ressource sur le site.")
    revision: int = Field(
        description="Révision : augmente à chaque modification. L’ETag de "
        "/resources/{key} commence par `r` et ce nombre ; renvoyez-le dans `If-Match`."
    )
    link: LinkHealthOut | None = Field(
        description="L’état du lien à la dernière vérification, ou null s’il n’a pas été vérifié."
    )


class Page(Schema):
    count: int = Field(description="Nombre total d’éléments qui répondent à la demande.")
    limit: int = Field(description="Nombre maximal d’éléments par page.")
    offset: int = Field(description="Rang du premier élément de cette page (à partir de 0).")
    next: str | None = Field(description="Adresse de la page suivante, ou null.")
    previous: str | None = Field(description="Adresse de la page précédente, ou null.")


class ResourcePage(Page):
    items: list[ResourceOut] = Field(description="Les ressources de cette page.")


class NewsItem(Schema):
    event: Literal["added", "changed", "archived"] = Field(
        description="`added` : ajoutée ; `changed` : modifiée ; `archived` : retirée."
    )
    date: datetime = Field(description="Date de l’événement (ISO 8601).")
    resource: ResourceOut = Field(description="La ressource concernée.")


class NewsPage(Page):
    items: list[NewsItem] = Field(description="Les événements, du plus récent au plus ancien.")


class SectionOut(Schema):
    slug: str = Field(description="Identifiant stable de la section.")
    title: str = Field(description="Titre de la section.")
    heading: str = Field(description="Rubrique du sommaire qui la regroupe ; vide sinon.")
    intro: str = Field(description="Introduction ; paragraphes séparés par une ligne vide.")
    parent: str | None = Field(description="Identifiant de la section parente, ou null.")
    home: bool = Field(description="Vrai pour la page d’accueil du sommaire.")
    glossary: bool = Field(description="Vrai pour la section du glossaire.")
    resource_count: int = Field(description="Ressources en vigueur rangées dans la section.")
    page_url: str = Field(description="Page de la section sur le site.")
    pdf_url: str | None = Field(description="Édition PDF de la section, ou null.")
    children: list["SectionOut"] = Field(description="Sous-sections, dans l’ordre du sommaire.")


SectionOut.model_rebuild()


class GlossaryTermOut(Schema):
    term: str = Field(description="Le sigle, tel qu’il s’écrit (MSSanté, CI-SIS…).")
    expansion: str = Field(description="Sa forme développée.")
    definition: str = Field(description="Ce qu’il désigne ; vide sinon.")
    page_url: str = Field(description="Son entrée dans le glossaire du site.")


class TermOut(Schema):
    slug: str = Field(description="Identifiant stable, à passer aux filtres de /resources.")
    label: str = Field(description="Libellé affiché.")
    description: str = Field(description="Définition courte ; vide sinon.")


class PublisherOut(Schema):
    slug: str = Field(description="Identifiant stable, à passer au filtre `publisher`.")
    name: str = Field(description="Nom complet.")
    short_name: str = Field(description="Nom court (sigle).")
    url: str = Field(description="Site de l’éditeur ; vide sinon.")


class RegionOut(Schema):
    code: str = Field(description="Code de la région, à passer au filtre `region`.")
    name: str = Field(description="Nom de la région.")
    insee: str = Field(description="Code INSEE de la région.")
    iso: str = Field(description="Code ISO 3166-2.")
    pdf_url: str = Field(description="Édition PDF régionale (national et régional).")


class Vocabularies(Schema):
    kinds: list[TermOut] = Field(description="Types de document.")
    formats: list[TermOut] = Field(description="Formats.")
    profiles: list[TermOut] = Field(description="Profils logiciels.")
    waves: list[TermOut] = Field(description="Vagues du Ségur.")
    publishers: list[PublisherOut] = Field(description="Éditeurs des documents.")
    regions: list[RegionOut] = Field(description="Régions.")


class EditionOut(Schema):
    number: int = Field(description="Numéro de l’édition publiée.")
    published_at: datetime = Field(description="Date de publication (ISO 8601).")
    pdf_url: str = Field(description="Le PDF de cette édition, tel qu’il a été publié.")


class ResourceFilters(Schema):
    section: str | None = Field(None, description="Rangées dans cette section (identifiant).")
    kind: str | None = Field(None, description="De ce type de document (identifiant).")
    format: str | None = Field(None, description="De ce format (identifiant).")
    publisher: str | None = Field(None, description="De cet éditeur (identifiant).")
    profile: str | None = Field(None, description="De ce profil logiciel (identifiant).")
    wave: str | None = Field(None, description="De cette vague (identifiant).")
    region: str | None = Field(
        None, description="De cette région (code, INSEE ou ISO), ou `national`."
    )
    status: Literal["active", "archived"] | None = Field(
        None, description="`active` ou `archived` ; les deux par défaut."
    )
    changed_since: IsoDatetime | None = Field(
        None, description="Modifiées à cette date ou après (ISO 8601)."
    )


class NewsFilters(Schema):
    since: IsoDatetime | None = Field(
        None, description="Événements à cette date ou après (ISO 8601)."
    )


class Paging(Schema):
    limit: int = Field(50, ge=1, le=200, description="Éléments par page (1 à 200).")
    offset: int = Field(0, ge=0, le=1_000_000, description="Rang du premier élément.")


# --- link health -----------------------------------------------------------------


class LinkOut(LinkHealthOut):
    url: str = Field(description="Adresse vérifiée (sans #fragment).")
    host: str = Field(description="Nom d’hôte, sans « www. ».")
    failing_since: datetime | None = Field(
        description="Premier échec de la série en cours (ISO 8601), ou null."
    )
    last_ok_at: datetime | None = Field(
        description="Dernière vérification réussie (ISO 8601), ou null."
    )
    resources: list[str] = Field(
        description="Clés des ressources qui pointent vers cette adresse (vide pour le site "
        "d’un éditeur ou d’un contact)."
    )


class LinkPage(Page):
    items: list[LinkOut] = Field(description="Les liens de cette page, par adresse.")


class LinkFilters(Schema):
    status: LinkStatus | None = Field(None, description="Dans cet état. " + LINK_STATUS_HELP)
    host: str | None = Field(
        None,
        max_length=253,
        description="Sur cet hôte (`esante.gouv.fr` trouve aussi `www.esante.gouv.fr`).",
    )
    confirmed_broken: bool | None = Field(
        None, description="`true` : seulement les liens dont la panne est confirmée."
    )


# --- search ----------------------------------------------------------------------


class SearchParams(Schema):
    q: str = Field(
        ..., min_length=1, max_length=200, description="Les mots cherchés (200 caractères au plus)."
    )
    section: str | None = Field(None, max_length=100, description="Rangées dans cette section.")
    kind: str | None = Field(None, max_length=100, description="De ce type de document.")
    format: str | None = Field(None, max_length=100, description="De ce format.")
    publisher: str | None = Field(None, max_length=100, description="De cet éditeur.")
    profile: str | None = Field(None, max_length=100, description="De ce profil logiciel.")
    wave: str | None = Field(None, max_length=100, description="De cette vague.")
    region: str | None = Field(None, max_length=100, description="De cette région (code : OCC…).")
    original: bool = Field(
        False, description="`true` : chercher les mots tels quels, sans correction d’orthographe."
    )


class SearchPaging(Schema):
    limit: int = Field(20, ge=1, le=50, description="Résultats par page (1 à 50).")
    offset: int = Field(0, ge=0, le=1000, description="Rang du premier résultat (1 000 au plus).")


class PassageOut(Schema):
    place: str = Field(description="Où, dans le document : « p. 12 », « diapositive 3 »…")
    url: str = Field(description="Adresse du document, ouverte à cette page quand c’est un PDF.")
    snippet: str = Field(
        description="Extrait en HTML : texte échappé, mots trouvés entre <mark> et </mark>."
    )


class SearchHitOut(Schema):
    key: str = Field(description="Clé de la ressource (voir /resources/{key}).")
    url: str = Field(description="Adresse du document.")
    title: str = Field(description="Titre de la ressource.")
    section: str | None = Field(description="Section principale (identifiant), ou null.")
    score: float = Field(description="Pertinence : plus grand est meilleur, dans cette réponse.")
    snippet: str = Field(
        description="Extrait de la description en HTML : texte échappé, mots trouvés entre "
        "<mark> et </mark>."
    )
    passages: list[PassageOut] = Field(
        description="Les meilleurs passages du document lui-même, quand son texte a été extrait."
    )
    status: Literal["active", "archived"] = Field(description="`active` ou `archived`.")
    page_url: str = Field(description="Page de la ressource sur le site.")


class FacetChoiceOut(Schema):
    value: str = Field(description="Valeur à passer au filtre.")
    label: str = Field(description="Libellé affiché.")
    count: int = Field(description="Résultats avec ce filtre, les autres filtres gardés.")
    selected: bool = Field(description="Vrai pour la valeur du filtre en cours.")


class FacetOut(Schema):
    name: str = Field(description="Nom du filtre (paramètre de la requête).")
    label: str = Field(description="Libellé du filtre.")
    choices: list[FacetChoiceOut] = Field(description="Les valeurs possibles, avec leur compte.")


class SearchPage(Page):
    query: str = Field(description="La recherche, telle que comprise (mots corrigés).")
    corrected: bool = Field(description="Vrai si des mots ont été corrigés (voir `original`).")
    relaxed: bool = Field(
        description="Vrai si aucune ressource n’a tous les mots : les résultats en ont tous "
        "sauf un."
    )
    facets: list[FacetOut] = Field(description="Les filtres possibles, comme sur /recherche/.")
    items: list[SearchHitOut] = Field(description="Les résultats, du plus pertinent au moins.")


# --- writes ----------------------------------------------------------------------


class PlacementIn(Schema):
    section: str = Field(..., max_length=60, description="Identifiant de la section.")
    group: str = Field("", max_length=200, description="Groupe dans la section ; vide sinon.")


class ResourceIn(Schema):
    """A resource as a whole: PUT replaces every field."""

    title: str = Field(..., min_length=1, max_length=300, description="Titre.")
    url: str = Field(
        ..., min_length=1, max_length=2000, description="Adresse : http, https ou mailto."
    )
    kind: str = Field(..., max_length=60, description="Type (identifiant ; voir /vocabularies).")
    format: str = Field(..., max_length=60, description="Format (identifiant).")
    publisher: str = Field(..., max_length=60, description="Éditeur (identifiant).")
    profile: str | None = Field(None, max_length=60, description="Profil logiciel, ou null.")
    wave: str | None = Field(None, max_length=60, description="Vague, ou null.")
    version: str | None = Field(None, max_length=40, description="Version (Va1, Va2…), ou null.")
    region: str | None = Field(
        None, max_length=6, description="Code de la région (OCC, 76, FR-OCC), ou null : nationale."
    )
    description: str = Field("", max_length=5000, description="Ce que contient le document.")
    status: Literal["active", "archived"] = Field("active", description="`active` ou `archived`.")
    sections: list[PlacementIn] = Field(
        ...,
        min_length=1,
        max_length=20,
        description="Où la ressource est rangée : une entrée par section (1 à 20).",
    )


class ResourceCreate(ResourceIn):
    key: str = Field(
        ...,
        min_length=1,
        max_length=100,
        description="Clé, stable : lettres minuscules sans accent, chiffres et tirets.",
    )


class ChangedField(Schema):
    field: str = Field(description="Champ modifié entre-temps.")
    before: str | None = Field(description="Sa valeur à la révision que vous aviez lue.")
    now: str | None = Field(description="Sa valeur enregistrée maintenant.")


class Conflict(Schema):
    detail: str = Field(description="Ce qui s’est passé, en français.")
    current_revision: int = Field(description="La révision enregistrée maintenant.")
    etag: str = Field(description="L’ETag à renvoyer dans If-Match après avoir relu la ressource.")
    changed: list[ChangedField] = Field(description="Les champs modifiés depuis votre révision.")
    changed_by: list[str] = Field(description="Qui les a modifiés.")


# --- dossiers --------------------------------------------------------------------


class DossierItemOut(Schema):
    resource: str | None = Field(
        description="Clé de la ressource (voir /resources/{key}), ou null pour un intertitre."
    )
    note: str = Field(description="Note de l’éditeur sur cet élément ; vide sinon.")
    heading: str | None = Field(description="Texte de l’intertitre, ou null pour une ressource.")


class DossierOut(Schema):
    slug: str = Field(description="Identifiant stable du dossier, dans son adresse.")
    title: str = Field(description="Titre du dossier.")
    region: str | None = Field(description="Code de la région, ou null pour un dossier national.")
    audience: str = Field(description="Pour qui : « Pour un EHPAD qui prépare sa demande… ».")
    visibility: Literal["listed", "unlisted"] = Field(
        description="`listed` : annoncé (page de la région, plan du site, cette API) ; "
        "`unlisted` : accessible par son lien seulement."
    )
    status: Literal["draft", "published"] = Field(
        description="`draft` : brouillon, visible des éditeurs seulement ; `published` : publié."
    )
    items: list[DossierItemOut] = Field(description="Les éléments, dans l’ordre du dossier.")
    updated: datetime = Field(description="Date de la dernière modification (ISO 8601).")
    url: str = Field(description="Page du dossier sur le site.")
    pdf: str = Field(description="Le dossier en PDF.")


class DossierPage(Page):
    items: list[DossierOut] = Field(description="Les dossiers publiés et listés, par identifiant.")


class DossierItemIn(Schema):
    resource: str | None = Field(
        None, max_length=100, description="Clé d’une ressource en vigueur, ou null (intertitre)."
    )
    note: str = Field("", max_length=2000, description="Note sur cet élément ; vide sinon.")
    heading: str | None = Field(
        None, max_length=200, description="Intertitre, pour un élément sans ressource."
    )


class DossierIn(Schema):
    """A dossier as a whole: PUT replaces every field and every item."""

    title: str = Field(..., min_length=1, max_length=200, description="Titre.")
    audience: str = Field("", max_length=300, description="Pour qui ; vide sinon.")
    region: str | None = Field(
        None, max_length=6, description="Code de la région (OCC, 76, FR-OCC), ou null : national."
    )
    visibility: Literal["listed", "unlisted"] = Field("listed", description="Visibilité.")
    status: Literal["draft", "published"] = Field("draft", description="Statut.")
    items: list[DossierItemIn] = Field(
        ...,
        max_length=200,
        description="Les éléments dans l’ordre : chacun une ressource (de la région du dossier "
        "ou nationale) ou un intertitre (200 au plus).",
    )


class DossierCreate(DossierIn):
    slug: str = Field(
        ...,
        min_length=1,
        max_length=80,
        description="Identifiant, stable : lettres minuscules sans accent, chiffres et tirets.",
    )
