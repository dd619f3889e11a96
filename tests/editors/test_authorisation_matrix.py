"""Who may write what in the back-office.

Every role x every write action x a row of Occitanie (Rémi's region), of
Bretagne (Chloé's) and a national row. An allowed write must take effect; a
refused one is checked twice, by the answer (its status code) and by the
data (every catalog row unchanged).
"""

import pytest

from sommaire.catalog.models import Contact, GlossaryTerm, Kind, Region, Resource, Section
from tests.editors.backoffice import (
    client_for,
    contact_data,
    resource_data,
    section_data,
    term_data,
    url,
)

SCOPES = ["OCC", "BRE", None]  # None: national


def allowed(persona: str, action: str, scope: str | None) -> bool:
    """The Django admin is the administrators': editors write in the workspace
    (tests/workspace/test_access.py holds the editors' table)."""
    return persona == "admin"


def denial_status(persona: str, action: str, scope: str | None) -> int:
    """The sign-in page for a reader; 403 for any editor, whatever the row."""
    return 302 if persona == "anonymous" else 403


@pytest.fixture
def rows(segur):
    """One resource and one contact per scope (a national contact answers for sections)."""
    kind = Kind.objects.get(slug="webinaire")
    base = Resource.objects.order_by("pk").first()
    regions = {code: Region.objects.get(code=code) for code in ("OCC", "BRE")}
    resources, contacts = {}, {}
    for scope in SCOPES:
        name = (scope or "national").lower()
        resources[scope] = Resource.objects.create(
            key=f"webinaire-{name}",
            title=f"Webinaire {name}",
            url=f"https://www.example.fr/webinaire-{name}",
            kind=kind,
            format=base.format,
            publisher=base.publisher,
            region=regions.get(scope),
        )
    for scope in SCOPES:
        contacts[scope] = Contact.objects.create(
            region=regions.get(scope), name=f"Contact {scope or 'national'}"
        )
    return {"resources": resources, "contacts": contacts, "regions": regions}


def snapshot():
    return (
        list(Resource.objects.order_by("pk").values()),
        list(Contact.objects.order_by("pk").values()),
        list(Section.objects.order_by("pk").values()),
        list(GlossaryTerm.objects.order_by("pk").values()),
    )


def region_pk(scope):
    return "" if scope is None else str(Region.objects.get(code=scope).pk)


# Each action: (post it) -> response, and (did it take effect?) -> bool.


def create_resource(client, rows, scope):
    data = resource_data(
        key="nouvelle-ressource",
        url="https://www.example.fr/nouvelle",
        region=region_pk(scope),
        kind=Kind.objects.get(slug="guide").pk,
    )
    return client.post(url(Resource), data)


def created_resource(rows, scope):
    return Resource.objects.filter(key="nouvelle-ressource").exists()


def change_resource(client, rows, scope):
    resource = rows["resources"][scope]
    return client.post(url(Resource, resource.pk), resource_data(resource, title="Titre revu"))


def changed_resource(rows, scope):
    return Resource.objects.get(pk=rows["resources"][scope].pk).title == "Titre revu"


def delete_resource(client, rows, scope):
    return client.post(url(Resource, rows["resources"][scope].pk, "delete"), {"post": "yes"})


def deleted_resource(rows, scope):
    return not Resource.objects.filter(pk=rows["resources"][scope].pk).exists()


def move_resource(client, rows, scope):
    resource = rows["resources"][scope]
    data = resource_data(resource, region=region_pk("PAC"))
    return client.post(url(Resource, resource.pk), data)


def moved_resource(rows, scope):
    region = Resource.objects.get(pk=rows["resources"][scope].pk).region
    return region is not None and region.code == "PAC"


def create_contact(client, rows, scope):
    return client.post(url(Contact), contact_data(region=region_pk(scope)))


def created_contact(rows, scope):
    return Contact.objects.filter(name="Référent INS").exists()


def change_contact(client, rows, scope):
    contact = rows["contacts"][scope]
    return client.post(url(Contact, contact.pk), contact_data(contact, role="Référent MSSanté"))


def changed_contact(rows, scope):
    return Contact.objects.get(pk=rows["contacts"][scope].pk).role == "Référent MSSanté"


def delete_contact(client, rows, scope):
    return client.post(url(Contact, rows["contacts"][scope].pk, "delete"), {"post": "yes"})


def deleted_contact(rows, scope):
    return not Contact.objects.filter(pk=rows["contacts"][scope].pk).exists()


def change_section(client, rows, scope):
    section = Section.objects.get(slug="ins")
    return client.post(url(Section, section.pk), section_data(section, title="INS (revu)"))


def changed_section(rows, scope):
    return Section.objects.get(slug="ins").title == "INS (revu)"


def change_term(client, rows, scope):
    term = GlossaryTerm.objects.get(term="INS")
    return client.post(url(GlossaryTerm, term.pk), term_data(term, definition="Revu."))


def changed_term(rows, scope):
    return GlossaryTerm.objects.get(term="INS").definition == "Revu."


ACTIONS = {
    "create-resource": (create_resource, created_resource, SCOPES),
    "change-resource": (change_resource, changed_resource, SCOPES),
    "delete-resource": (delete_resource, deleted_resource, SCOPES),
    "move-resource-to-another-region": (move_resource, moved_resource, SCOPES),
    "create-contact": (create_contact, created_contact, SCOPES),
    "change-contact": (change_contact, changed_contact, SCOPES),
    "delete-contact": (delete_contact, deleted_contact, SCOPES),
    "change-section": (change_section, changed_section, [None]),
    "change-glossary-term": (change_term, changed_term, [None]),
}
PERSONAS = ["admin", "nadia", "remi", "chloe", "anonymous"]
CASES = [
    pytest.param(persona, action, scope, id=f"{persona}-{action}-{scope or 'national'}")
    for persona in PERSONAS
    for action, (_, _, scopes) in ACTIONS.items()
    for scope in scopes
]


@pytest.mark.parametrize(("persona", "action", "scope"), CASES)
def test_every_role_every_write_every_scope(personas, rows, persona, action, scope):
    post, took_effect, _ = ACTIONS[action]
    client = client_for(personas[persona])
    before = snapshot()

    response = post(client, rows, scope)

    if allowed(persona, action, scope):
        assert response.status_code == 302, response.content.decode()[:2000]
        assert took_effect(rows, scope)
        return
    assert response.status_code == denial_status(persona, action, scope)
    if response.status_code == 302:
        assert response["Location"].startswith("/gestion/admin/login/")
    if response.status_code == 200:
        assert response.context["adminform"].form.errors
    assert not took_effect(rows, scope)
    assert snapshot() == before


def test_the_matrix_covers_every_role_and_every_action():
    assert {case.values[0] for case in CASES} == set(PERSONAS)
    assert {case.values[1] for case in CASES} == set(ACTIONS)
    assert len(CASES) == len(PERSONAS) * sum(len(s) for _, _, s in ACTIONS.values())
