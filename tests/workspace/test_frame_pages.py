"""/gestion/rubriques/, /gestion/glossaire/ and /gestion/echeances/: the national frame, kept by
the national team; each deadline with its source."""

from sommaire.catalog.models import Deadline, GlossaryTerm, Revisioned, Section, Wave
from tests.workspace.conftest import html, signed_in

DEADLINES = "/gestion/echeances/"


def posted(deadline: Deadline | None = None, **changes) -> dict:
    values = {
        "slug": "drimbox-v2-solde-bis",
        "section": Section.objects.get(slug="radiologie").pk,
        "wave": Wave.objects.get(slug="vague-2").pk,
        "label": "Dépôt des demandes de paiement du solde DRIMbox",
        "date": "2027-12-15",
        "time": "12:00",
        "source": "https://industriels.esante.gouv.fr/segur-numerique-sante/vague-2/x",
        "order": 0,
    }
    if deadline is not None:
        values.update(
            slug=deadline.slug,
            section=deadline.section_id,
            wave=deadline.wave_id,
            label=deadline.label,
            date=deadline.date.isoformat(),
            time=deadline.time.strftime("%H:%M") if deadline.time else "",
            source=deadline.source,
            order=deadline.order,
            expected_revision=deadline.revision,
        )
    values.update(changes)
    return values


def test_a_national_editor_adds_a_deadline_kept_in_the_history(nadia):
    response = signed_in(nadia).post(f"{DEADLINES}nouveau/", posted())

    assert response.status_code == 302
    created = Deadline.objects.get(slug="drimbox-v2-solde-bis")
    assert created.history.get().history_user == nadia


def test_a_deadline_without_its_source_is_refused_and_nothing_is_saved(nadia):
    response = signed_in(nadia).post(f"{DEADLINES}nouveau/", posted(source=""))

    assert response.status_code == 200
    assert not Deadline.objects.filter(slug="drimbox-v2-solde-bis").exists()
    assert html(response).css_first("#id_source-erreur") is not None


def test_the_list_shows_coming_then_past_deadlines_of_the_pack(nadia):
    page = html(signed_in(nadia).get(DEADLINES))

    titles = [h.text() for h in page.css("h2")]
    assert titles[0].startswith("À venir") and titles[1].startswith("Passées")
    assert Deadline.objects.count() == len(page.css("li.workspace-item"))


def test_a_regional_editor_may_not_touch_deadlines(remi):
    existing = Deadline.objects.order_by("pk").first()
    client = signed_in(remi)

    assert client.get(DEADLINES).status_code == 403
    assert client.post(f"{DEADLINES}nouveau/", posted()).status_code == 403
    assert client.post(f"{DEADLINES}{existing.pk}/", posted(existing, label="X")).status_code == 403
    assert Deadline.objects.get(pk=existing.pk).label != "X"


def test_a_stale_save_does_not_overwrite_a_newer_one(nadia, administrator):
    existing = Deadline.objects.order_by("pk").first()
    stale = posted(existing, label="Libellé de Nadia")
    signed_in(administrator).post(f"{DEADLINES}{existing.pk}/", posted(existing, date="2030-01-01"))

    response = signed_in(nadia).post(f"{DEADLINES}{existing.pk}/", stale)

    saved = Deadline.objects.get(pk=existing.pk)
    assert saved.date.isoformat() == "2030-01-01"
    assert response.status_code in (200, 302)


def test_a_national_editor_changes_a_rubric_intro_and_a_glossary_term(nadia):
    client = signed_in(nadia)
    section = Section.objects.get(slug="hopital")
    term = GlossaryTerm.objects.get(term="INS")
    page = html(client.get(f"/gestion/rubriques/{section.pk}/"))
    form = {
        i.attributes["name"]: i.attributes.get("value") or ""
        for i in page.css("form[method=post] input")
        if i.attributes.get("name") and i.attributes.get("type") != "checkbox"
    }
    form.update(
        {
            "title": section.title,
            "parent": section.parent_id or "",
            "intro": "Une introduction\x0brevue.",
        }
    )

    assert client.post(f"/gestion/rubriques/{section.pk}/", form).status_code == 302
    assert Section.objects.get(pk=section.pk).intro == "Une introduction\nrevue.\n"
    changed = {
        "term": term.term,
        "expansion": term.expansion,
        "definition": "Nouvelle définition.",
        "lang": term.lang,
        "order": term.order,
        "expected_revision": term.revision,
    }
    assert client.post(f"/gestion/glossaire/{term.pk}/", changed).status_code == 302
    assert GlossaryTerm.objects.get(pk=term.pk).definition == "Nouvelle définition."


def test_a_regional_editor_may_not_touch_the_rubrics_or_the_glossary(remi):
    client = signed_in(remi)

    assert client.get("/gestion/rubriques/").status_code == 403
    assert client.get("/gestion/glossaire/").status_code == 403


def test_a_save_between_the_check_and_the_write_ends_in_the_merge(nadia, monkeypatch):
    """The form's check passed on a stale read; the UPDATE ... WHERE revision refuses,
    and the page comes back with the merge instead of a lost update or an error."""
    existing = Deadline.objects.order_by("pk").first()
    seen = posted(existing, label="Libellé de Nadia")
    Deadline.objects.get(pk=existing.pk).save()  # someone else's save: revision + 1
    stale = iter([existing.revision])
    real = Revisioned.current_revision
    monkeypatch.setattr(
        Revisioned, "current_revision", lambda self: next(stale, None) or real(self)
    )

    response = signed_in(nadia).post(f"{DEADLINES}{existing.pk}/", seen)

    assert response.status_code == 200
    assert Deadline.objects.get(pk=existing.pk).label == existing.label
