"""What a browser posts to the back-office forms, built from a row."""

from django.test import Client

from sommaire.catalog.models import Contact, GlossaryTerm, Kind, Resource, Section

ADMIN = "/gestion/admin/"


def url(model, pk=None, action="change") -> str:
    base = f"{ADMIN}{model._meta.app_label}/{model._meta.model_name}/"
    return f"{base}add/" if pk is None else f"{base}{pk}/{action}/"


def client_for(user, **kwargs) -> Client:
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


def _fk(value) -> str:
    return "" if value is None else str(value)


def resource_data(resource: Resource | None = None, **changes) -> dict:
    if resource is None:
        kind = Kind.objects.get(slug=changes.pop("kind_slug", "guide"))
        values = {
            "title": "Webinaire régional INS",
            "key": "webinaire-regional-ins",
            "url": "https://www.example-ars.fr/webinaire-ins",
            "region": "",
            "status": "active",
            "kind": kind.pk,
            "format": _first_pk("format"),
            "publisher": _first_pk("publisher"),
            "profile": "",
            "wave": "",
            "version": "",
            "description": "",
        }
    else:
        values = {
            "title": resource.title,
            "key": resource.key,
            "url": resource.url,
            "region": _fk(resource.region_id),
            "status": resource.status,
            "kind": resource.kind_id,
            "format": resource.format_id,
            "publisher": resource.publisher_id,
            "profile": _fk(resource.profile_id),
            "wave": _fk(resource.wave_id),
            "version": resource.version,
            "description": resource.description,
            "expected_revision": resource.revision,
        }
    values.update(
        {
            "placements-TOTAL_FORMS": "0",
            "placements-INITIAL_FORMS": "0",
            "placements-MIN_NUM_FORMS": "0",
            "placements-MAX_NUM_FORMS": "1000",
        }
    )
    values.update(changes)
    return values


def placement_forms(*forms: dict, initial: int = 0) -> dict:
    """The placements inline as posted: `initial` stored rows (with their id) first."""
    values = {
        "placements-TOTAL_FORMS": str(len(forms)),
        "placements-INITIAL_FORMS": str(initial),
        "placements-MIN_NUM_FORMS": "0",
        "placements-MAX_NUM_FORMS": "1000",
    }
    for index, form in enumerate(forms):
        values.update({f"placements-{index}-{name}": value for name, value in form.items()})
    return values


def contact_data(contact: Contact | None = None, **changes) -> dict:
    if contact is None:
        values = {
            "name": "Référent INS",
            "organisation": "ARS",
            "source": "https://www.occitanie.example/contacts",
            "order": 0,
        }
    else:
        values = {
            "region": _fk(contact.region_id),
            "name": contact.name,
            "organisation": contact.organisation,
            "role": contact.role,
            "email": contact.email,
            "phone": contact.phone,
            "url": contact.url,
            "source": contact.source or "https://www.occitanie.example/contacts",
            "questions": contact.questions,
            "sections": [s.pk for s in contact.sections.all()] if contact.pk else [],
            "order": contact.order,
            "expected_revision": contact.revision,
        }
    values.update(changes)
    return values


def section_data(section: Section, **changes) -> dict:
    values = {
        "title": section.title,
        "slug": section.slug,
        "parent": _fk(section.parent_id),
        "heading": section.heading,
        "intro": section.intro,
        "order": section.order,
        "expected_revision": section.revision,
    }
    if section.is_home:
        values["is_home"] = "on"
    if section.is_glossary:
        values["is_glossary"] = "on"
    values.update(changes)
    return values


def term_data(term: GlossaryTerm, **changes) -> dict:
    values = {
        "term": term.term,
        "expansion": term.expansion,
        "definition": term.definition,
        "order": term.order,
        "expected_revision": term.revision,
    }
    values.update(changes)
    return values


def _first_pk(model_name: str) -> int:
    from django.apps import apps

    return (
        apps.get_model("catalog", model_name).objects.order_by("pk").values_list("pk", flat=True)[0]
    )
