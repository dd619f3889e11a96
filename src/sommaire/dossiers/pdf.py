"""The PDF of a dossier, laid out by `edition`'s Typst (templates/edition/dossier.typ).

Same guarantees as the sommaire's edition: PDF/UA-1, embedded fonts, catalog
text passed as JSON data. Built once per catalog generation (a dossier's
change moves it too) and kept with the other live PDFs.
"""

from django.conf import settings
from django.utils import timezone

from sommaire.catalog.models import GlossaryTerm, PackInfo
from sommaire.dossiers.models import Dossier, Notice
from sommaire.edition.build import cached_build, render
from sommaire.edition.content import Glossary, french_date, resource_entry
from sommaire.linkcheck.services import links_by_url


def dossier_pdf(dossier: Dossier) -> bytes:
    return cached_build(
        f"dossier:{dossier.pk}", lambda: render(dossier_data(dossier), template="dossier.typ")
    )


def dossier_data(dossier: Dossier, now=None) -> dict:
    pack = PackInfo.objects.order_by("pk").first()
    glossary = Glossary(list(GlossaryTerm.objects.order_by("order", "term")))
    items = dossier.items_in_order()
    notices = {n.resource.pk: n for n in dossier.notices(links_by_url(), items)}
    return {
        "title": dossier.title,
        "pack_title": pack.title if pack else "Sommaire",
        "audience": dossier.audience,
        "scope": f"Région {dossier.region.name}" if dossier.region else "National",
        "updated": french_date(dossier.updated_at),
        "date": french_date(now or timezone.now()),
        "url": settings.SITE_URL + dossier.get_absolute_url(),
        "items": [
            {
                "heading": item.heading if item.is_heading() else None,
                "resource": None if item.is_heading() else resource_entry(item.resource, glossary),
                "notice": _notice(notices.get(item.resource_id)),
                "note": glossary.paragraphs(item.note),
            }
            for item in items
        ],
        "glossary": [
            {"term": t.term, "k": t.anchor, "e": t.expansion, "definition": t.definition}
            for t in glossary.terms
            if t.term in glossary.used
        ],
    }


def _notice(notice: Notice | None) -> dict | None:
    if notice is None:
        return None
    if notice.kind == Notice.REPLACED:
        successor = notice.successor
        return {
            "text": "Une nouvelle version existe :",
            "title": successor.title,
            "url": successor.url,
        }
    if notice.kind == Notice.ARCHIVED:
        return {"text": "Ce document a été retiré du catalogue.", "title": None, "url": None}
    return {"text": "Lien signalé indisponible.", "title": None, "url": None}
