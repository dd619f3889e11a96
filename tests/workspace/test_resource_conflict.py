"""No lost update in the workspace: when two editors open the same resource and both
save, the second is told who changed what meanwhile; nothing is overwritten."""

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from sommaire.catalog.models import Resource, Revisioned
from tests.workspace.browser_form import posted
from tests.workspace.conftest import signed_in


def edit_url(resource) -> str:
    return f"/gestion/ressources/{resource.key}/"


def both_open_then_nadia_saves(nadia, agnes, title="Titre de Nadia"):
    """Nadia and Agnès open the same national resource; Nadia saves a new title.

    Returns the resource as both saw it, Agnès's browser and the form it holds."""
    resource = Resource.objects.filter(region=None).first()
    first, second = signed_in(nadia), signed_in(agnes)
    seen_by_nadia = first.get(edit_url(resource)).content.decode()
    seen_by_agnes = second.get(edit_url(resource)).content.decode()
    first.post(edit_url(resource), posted(seen_by_nadia, title=title))
    return resource, second, seen_by_agnes


def test_the_second_save_merges_what_only_the_other_changed_and_saves_nothing(nadia, administrator):
    resource, second, seen_by_agnes = both_open_then_nadia_saves(nadia, administrator)

    conflict = second.post(edit_url(resource), posted(seen_by_agnes, description="Note d’Agnès"))

    assert conflict.status_code == 200
    html = HTMLParser(conflict.content.decode())
    message = html.css_first("#erreurs-formulaire").text()
    assert "modifiée par Nadia" in message
    assert "rien n’a été enregistré" in message
    assert "Repris de la version enregistrée : titre" in message
    stored = Resource.objects.get(pk=resource.pk)
    assert (stored.title, stored.description) == ("Titre de Nadia", resource.description)
    assert html.css_first("#id_title").attributes["value"] == "Titre de Nadia"
    assert html.css_first("#id_description").text() == "Note d’Agnès"

    merged = second.post(edit_url(resource), posted(conflict.content.decode()))

    assert merged.status_code == 302
    stored = Resource.objects.get(pk=resource.pk)
    assert (stored.title, stored.description) == ("Titre de Nadia", "Note d’Agnès")


def test_a_field_both_changed_is_flagged_with_the_stored_value(nadia, administrator):
    resource, second, seen_by_agnes = both_open_then_nadia_saves(nadia, administrator)

    conflict = second.post(edit_url(resource), posted(seen_by_agnes, title="Titre d’Agnès"))

    html = HTMLParser(conflict.content.decode())
    assert "« Titre de Nadia »" in html.css_first("#id_title-erreur").text()
    assert html.css_first("#id_title").attributes["value"] == "Titre d’Agnès"  # kept
    assert Resource.objects.get(pk=resource.pk).title == "Titre de Nadia"


def test_a_save_between_the_check_and_the_write_still_ends_in_the_merge(nadia, monkeypatch):
    """The form's check passed on a stale read; the UPDATE ... WHERE revision refuses."""
    resource = Resource.objects.filter(region=None).first()
    client = signed_in(nadia)
    seen = client.get(edit_url(resource)).content.decode()
    written = Resource.objects.get(pk=resource.pk)
    written.title = "Écrit entre-temps"
    written.save()  # revision + 1
    stale = iter([resource.revision])
    real = Revisioned.current_revision
    monkeypatch.setattr(
        Revisioned, "current_revision", lambda self: next(stale, None) or real(self)
    )

    response = client.post(edit_url(resource), posted(seen, description="Perdu ?"))

    assert response.status_code == 200
    assert "rien n’a été enregistré" in response.content.decode()
    stored = Resource.objects.get(pk=resource.pk)
    assert (stored.title, stored.description) == ("Écrit entre-temps", resource.description)
