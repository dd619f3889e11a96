"""Every workspace page and action, for every role: the one table of who gets what.

Each row names a request (built from the `world` rows: a candidate, a link
problem, a contact of Occitanie, Rémi's region, or national) and the answer each
person gets: "sign-in" (a reader is sent to the sign-in page), or a status.
An action that one person may do and another may not is in the table twice
over: this test walks it for every role. To add a page, add a row.
"""

from dataclasses import dataclass, field

import pytest

from sommaire.catalog.models import (
    Contact,
    Deadline,
    Format,
    Kind,
    Publisher,
    Region,
    Resource,
    Section,
)
from sommaire.linkcheck.models import Link
from sommaire.linkcheck.services import link_url
from sommaire.watch.models import Candidate
from tests.workspace.conftest import signed_in
from tests.workspace.resource_world import NEW_RESOURCE, resource_form, resource_world

PEOPLE = ["anonymous", "admin", "nadia", "remi", "chloe"]


def answers(default, **by_person) -> dict:
    """The answer of each person: `default` for every editor unless named; a reader signs in."""
    return {"anonymous": "sign-in", **{p: default for p in PEOPLE[1:]}, **by_person}


EVERY_EDITOR = answers(200)
ADMIN_ONLY = answers(403, admin=200)
OCCITANIE = answers(403, admin=200, remi=200)  # an Occitanie row: Rémi's and the admin's
NATIONAL = answers(403, admin=200, nadia=200)  # a national row: Nadia's and the admin's
# The public page where a contact was found (required on every contact).
SOURCE = "https://contacts.example.org/occitanie"


@dataclass
class Row:
    name: str
    address: str  # formatted with the `world` objects: "/gestion/candidats/{occ_candidate.pk}/"
    expect: dict
    method: str = "get"
    data: dict = field(default_factory=dict)


def ok(row_answers: dict, status: int) -> dict:
    """The same people, with `status` for each one who may."""
    return {p: (status if a == 200 else a) for p, a in row_answers.items()}


PUBLISH = {
    "title": "Guide régional",
    "key": "guide-regional",
    "url": "{occ_candidate.url}",
    "kind": "{occ_candidate.kind_id}",
    "format": "{format.pk}",
    "publisher": "{publisher.pk}",
    "region": "{occ_candidate.region_id}",
    "section": "{occ_candidate.section_id}",
}

ROWS = [
    Row("dashboard", "/gestion/", EVERY_EDITOR),
    Row("django admin", "/gestion/admin/", ADMIN_ONLY),
    # candidates.py
    Row("review queue", "/gestion/candidats/", EVERY_EDITOR),
    Row("review a candidate of Occitanie", "/gestion/candidats/{occ_candidate.pk}/", OCCITANIE),
    Row("review a national candidate", "/gestion/candidats/{national_candidate.pk}/", NATIONAL),
    Row(
        "publish a candidate of Occitanie",
        "/gestion/candidats/{occ_candidate.pk}/",
        ok(OCCITANIE, 302),
        "post",
        PUBLISH,
    ),
    Row(
        "dismiss a candidate of Occitanie",
        "/gestion/candidats/{occ_candidate.pk}/ecarter/",
        ok(OCCITANIE, 302),
        "post",
        {"reason": "Hors sujet"},
    ),
    Row(
        "snooze a national candidate",
        "/gestion/candidats/{national_candidate.pk}/reporter/",
        ok(NATIONAL, 302),
        "post",
        {"until": "2099-01-01"},
    ),
    Row(
        # Out of scope, the candidate is no valid choice: the form comes back (200).
        "dismiss several candidates of Occitanie",
        "/gestion/candidats/ecarter/",
        answers(200, admin=302, remi=302),
        "post",
        {"candidates": "{occ_candidate.pk}", "reason": "Hors sujet"},
    ),
    # documents.py
    Row("changed documents", "/gestion/documents/", EVERY_EDITOR),
    Row(
        "mark a document of Occitanie read",
        "/gestion/documents/{occ_resource.pk}/relu/",
        ok(OCCITANIE, 302),
        "post",
    ),
    # contacts.py
    Row("contacts", "/gestion/contacts/", answers(200)),
    Row("a contact of Occitanie", "/gestion/contacts/{occ_contact.pk}/", OCCITANIE),
    Row(
        # Out of scope, the region is no valid choice: the form comes back (200).
        "add a contact in Occitanie",
        "/gestion/contacts/nouveau/",
        answers(200, admin=302, remi=302),
        "post",
        {"region": "{occitanie.pk}", "name": "Référent", "order": "0", "source": SOURCE},
    ),
    Row(
        "change a contact of Occitanie",
        "/gestion/contacts/{occ_contact.pk}/",
        ok(OCCITANIE, 302),
        "post",
        {
            "region": "{occitanie.pk}",
            "name": "Référente",
            "order": "0",
            "source": SOURCE,
            "expected_revision": "{occ_contact.revision}",
        },
    ),
    # frame.py: the national frame (rubrics, glossary, deadlines).
    Row("rubrics", "/gestion/rubriques/", NATIONAL),
    Row("a rubric", "/gestion/rubriques/{section.pk}/", NATIONAL),
    Row("glossary", "/gestion/glossaire/", NATIONAL),
    Row("a new glossary term", "/gestion/glossaire/nouveau/", NATIONAL),
    Row("deadlines", "/gestion/echeances/", NATIONAL),
    Row("a deadline", "/gestion/echeances/{deadline.pk}/", NATIONAL),
    Row(
        "add a deadline",
        "/gestion/echeances/nouveau/",
        ok(NATIONAL, 302),
        "post",
        {
            "slug": "essai",
            "section": "{section.pk}",
            "wave": "{deadline.wave_id}",
            "label": "Dépôt",
            "date": "2027-01-15",
            "source": "https://esante.gouv.fr/segur",
            "order": "0",
        },
    ),
    # links.py
    Row("link dashboard", "/gestion/liens/", EVERY_EDITOR),
    Row("link report", "/gestion/liens/rapport.csv", EVERY_EDITOR),
    Row("replace form", "/gestion/liens/ressource/{occ_resource.pk}/remplacer/", OCCITANIE),
    Row(
        "replace an address of Occitanie",
        "/gestion/liens/ressource/{occ_resource.pk}/remplacer/",
        ok(OCCITANIE, 302),
        "post",
        {"url": "https://occitanie.example.org/nouvelle-adresse.pdf"},
    ),
    Row(
        "archive a resource of Occitanie",
        "/gestion/liens/ressource/{occ_resource.pk}/archiver/",
        ok(OCCITANIE, 302),
        "post",
    ),
    Row(
        "mark a link of Occitanie known",
        "/gestion/liens/{occ_link.pk}/connu/",
        ok(OCCITANIE, 302),
        "post",
        {"until": "2099-01-01"},
    ),
    Row(
        "accept the redirect of a national link",
        "/gestion/liens/{national_link.pk}/accepter/",
        ok(NATIONAL, 302),
        "post",
    ),
    # resources.py
    Row("resource tree", "/gestion/ressources/", EVERY_EDITOR),
    Row("resource search", "/gestion/ressources/?q=DPI&region=OCC", EVERY_EDITOR),
    Row("new resource form", "/gestion/ressources/nouvelle/?section=hopital", EVERY_EDITOR),
    Row("read a resource of Occitanie", "/gestion/ressources/{occ_edited.key}/", EVERY_EDITOR),
    Row("read a national resource", "/gestion/ressources/{national_edited.key}/", EVERY_EDITOR),
    Row(
        "history of a resource of Occitanie",
        "/gestion/ressources/{occ_edited.key}/historique/",
        EVERY_EDITOR,
    ),
    Row(
        "an old version of a national resource",
        "/gestion/ressources/{national_edited.key}/historique/{national_edited_version.history_id}/",
        EVERY_EDITOR,
    ),
    Row(
        # Out of scope, the region is no valid choice: the form comes back (200).
        "add a resource of Occitanie",
        "/gestion/ressources/nouvelle/",
        answers(200, admin=302, remi=302),
        "post",
        {**NEW_RESOURCE, "region": "{occitanie.pk}"},
    ),
    Row(
        "add a national resource",
        "/gestion/ressources/nouvelle/",
        answers(200, admin=302, nadia=302),
        "post",
        {**NEW_RESOURCE, "region": ""},
    ),
    Row(
        "change a resource of Occitanie",
        "/gestion/ressources/{occ_edited.key}/",
        ok(OCCITANIE, 302),
        "post",
        resource_form("occ_edited", title="Titre revu"),
    ),
    Row(
        "change a national resource",
        "/gestion/ressources/{national_edited.key}/",
        ok(NATIONAL, 302),
        "post",
        resource_form("national_edited", title="Titre revu"),
    ),
    Row(
        "move a resource of Occitanie to Bretagne",
        "/gestion/ressources/{occ_edited.key}/",
        answers(403, admin=302, remi=200),
        "post",
        resource_form("occ_edited", region="{bretagne.pk}"),
    ),
    Row(
        "revert a resource of Occitanie",
        "/gestion/ressources/{occ_edited.key}/historique/{occ_edited_version.history_id}/",
        ok(OCCITANIE, 302),
        "post",
        resource_form("occ_edited", title="Titre d’avant"),
    ),
    Row(
        "revert a national resource",
        "/gestion/ressources/{national_edited.key}/historique/{national_edited_version.history_id}/",
        ok(NATIONAL, 302),
        "post",
        resource_form("national_edited", title="Titre d’avant"),
    ),
    Row(
        # A private address: the guard refuses it without a single packet sent.
        "check an address",
        "/gestion/ressources/verifier-adresse/",
        EVERY_EDITOR,
        "post",
        {"url": "http://10.0.0.1/guide.pdf"},
    ),
]


@pytest.fixture
def world(personas):
    """One row of each kind, in Occitanie and national, for the addresses of ROWS."""
    section, kind = Section.objects.get(slug="hopital"), Kind.objects.get(slug="guide")
    occitanie = Region.objects.get(code="OCC")
    national, occ_resource = Resource.objects.filter(region__isnull=True).order_by("pk")[:2]
    Resource.objects.filter(pk=occ_resource.pk).update(region=occitanie)
    return {
        "occ_resource": occ_resource,
        "occ_contact": Contact.objects.create(region=occitanie, name="Référent INS"),
        "deadline": Deadline.objects.order_by("pk").first(),
        "section": section,
        "occ_link": Link.objects.create(url=link_url(occ_resource.url), status="broken"),
        "national_link": Link.objects.create(
            url=link_url(national.url),
            status="redirected",
            permanent=True,
            final_url="https://esante.gouv.fr/adresse-nouvelle",
        ),
        **resource_world(),
        "kind": kind,
        "format": Format.objects.order_by("pk").first(),
        "publisher": Publisher.objects.order_by("pk").first(),
        "occ_candidate": Candidate.propose(
            "https://occitanie.example.org/guide.pdf",
            "new",
            title="Guide régional",
            section=section,
            kind=kind,
            region=occitanie,
        )[0],
        "national_candidate": Candidate.propose(
            "https://esante.gouv.fr/guide.pdf", "new", title="Guide", section=section, kind=kind
        )[0],
    }


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_each_person_gets_the_answer_of_the_table(row, person, personas, world):
    client = signed_in(personas[person])
    address = row.address.format(**world)
    data = {name: value.format(**world) for name, value in row.data.items()}

    response = getattr(client, row.method)(address, data)
    if response.get("Location", "").startswith("/gestion/admin/login/"):
        response = client.get(response["Location"])  # the admin's own sign-in sends on

    expected = row.expect[person]
    if expected == "sign-in":
        assert response.status_code == 302
        assert response["Location"].startswith("/gestion/connexion/?next=")
    else:
        assert response.status_code == expected, response.content[:300]
