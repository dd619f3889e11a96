"""`sommaire load-pack DIR`: validate, then load in one transaction."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sommaire.catalog.models import CatalogState, Placement, Resource, Section
from sommaire.catalog.pack import read_pack
from sommaire.editors import history
from tests.catalog.packs import FILES, write_pack


def load(directory, *args) -> str:
    out = StringIO()
    call_command("load-pack", str(directory), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def load_errors(directory) -> str:
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("load-pack", str(directory), stdout=StringIO(), stderr=err)
    assert "nothing was loaded" in str(raised.value)
    return err.getvalue()


def catalog_snapshot() -> list[tuple]:
    return sorted(
        Resource.objects.values_list("key", "title", "url", "kind__slug", "changed_at")
    ) + sorted(Placement.objects.values_list("resource__key", "section__slug", "group", "order"))


def test_it_loads_sections_resources_and_placements(empty_catalog, tmp_path):
    load(write_pack(tmp_path))

    hopital = Section.objects.get(slug="hopital")
    assert hopital.parent.slug == "documentation-par-cible"
    assert hopital.intro_paragraphs() == ["Premier paragraphe.", "Second paragraphe."]
    guide = Resource.objects.get(key="hop-guide")
    assert (guide.kind.slug, guide.format.slug, guide.profile.label) == ("guide", "pdf", "DPI")
    assert [(p.section.slug, p.group) for p in guide.placements_in_order()] == [
        ("hopital", "Pour bien démarrer"),
        ("officine", "Ressources partagées"),
    ]
    assert Resource.objects.count() == 3


def test_running_it_twice_changes_nothing(empty_catalog, tmp_path):
    pack = write_pack(tmp_path)
    load(pack)
    before, generation = catalog_snapshot(), CatalogState.current()

    output = load(pack, "--format", "json")

    report = json.loads(output)
    assert all(set(counts) == {"unchanged"} for counts in report["counts"].values())
    assert catalog_snapshot() == before
    assert CatalogState.current() == generation


def test_a_changed_pack_updates_rows_in_place_by_their_key(empty_catalog, tmp_path):
    load(write_pack(tmp_path))
    guide = Resource.objects.get(key="hop-guide")
    changed = FILES["resources/hopital.yaml"].replace("Guide — Hôpital", "Guide révisé — Hôpital")

    load(write_pack(tmp_path, resources__hopital=changed))

    guide.refresh_from_db()
    assert guide.title == "Guide révisé — Hôpital"
    assert guide.pk == Resource.objects.get(key="hop-guide").pk
    assert guide.changed_at > guide.added_at


def test_a_placement_dropped_from_the_pack_is_removed(empty_catalog, tmp_path):
    load(write_pack(tmp_path))
    without_ref = FILES["resources/officine.yaml"].split("- key:")[1]

    load(write_pack(tmp_path, resources__officine="- key:" + without_ref))

    guide = Resource.objects.get(key="hop-guide")
    assert [p.section.slug for p in guide.placements_in_order()] == ["hopital"]


def test_a_failure_while_writing_rolls_everything_back(empty_catalog, tmp_path):
    load(write_pack(tmp_path))
    Resource.objects.filter(key="off-page").update(key="cle-editeur")
    before = catalog_snapshot()
    renamed = FILES["pack.yaml"].replace("Paquet d’essai", "Autre titre")

    errors = load_errors(write_pack(tmp_path, pack=renamed))

    assert "already belongs to the resource 'cle-editeur'" in errors
    assert catalog_snapshot() == before


BAD_PACKS = {
    "yaml syntax": (
        {"resources__hopital": "- key: a\n  title: [oops\n"},
        "resources/hopital.yaml:3: (yaml):",
    ),
    "section slug taken by a page of the site": (
        {
            "sections": FILES["sections.yaml"].replace(
                "slug: officine\n  title: Officine", "slug: recherche\n  title: Officine"
            )
        },
        "sections.yaml:13: slug: 'recherche' is the address of the page 'search:results'",
    ),
    "unknown parent section": (
        {
            "sections": FILES["sections.yaml"].replace(
                "parent: documentation-par-cible\n  intro", "parent: nulle-part\n  intro"
            )
        },
        "sections.yaml:8: parent: unknown section 'nulle-part'",
    ),
    "resources file of an unknown section": (
        {"resources__radiologie": FILES["resources/officine.yaml"]},
        "resources/radiologie.yaml:0: (fichier): name each file after a declared section",
    ),
    "unknown kind": (
        {
            "resources__hopital": FILES["resources/hopital.yaml"].replace(
                "kind: guide", "kind: gide"
            )
        },
        "resources/hopital.yaml:5: kind: unknown kind 'gide'",
    ),
    "duplicate url": (
        {
            "resources__officine": FILES["resources/officine.yaml"].replace(
                "https://example.org/segur/officine", "https://example.org/segur/hopital"
            )
        },
        "resources/officine.yaml:5: url: duplicate 'https://example.org/segur/hopital', "
        "already at resources/hopital.yaml:11",
    ),
    "duplicate key": (
        {"resources__officine": FILES["resources/officine.yaml"].replace("off-page", "hop-page")},
        "resources/officine.yaml:3: key: duplicate 'hop-page'",
    ),
    "malformed url": (
        {
            "resources__hopital": FILES["resources/hopital.yaml"].replace(
                "https://example.org/guide-hopital.pdf", "https:/guide-hopital.pdf"
            )
        },
        "resources/hopital.yaml:3: url: nom d’hôte invalide",
    ),
    "javascript scheme": (
        {
            "resources__hopital": FILES["resources/hopital.yaml"].replace(
                "https://example.org/guide-hopital.pdf", "javascript:alert(1)"
            )
        },
        "resources/hopital.yaml:3: url: protocole refusé (javascript:)",
    ),
    "file scheme": (
        {
            "resources__hopital": FILES["resources/hopital.yaml"].replace(
                "https://example.org/guide-hopital.pdf", "file:///etc/passwd"
            )
        },
        "resources/hopital.yaml:3: url: protocole refusé (file:)",
    ),
    "url with spaces": (
        {
            "resources__hopital": FILES["resources/hopital.yaml"].replace(
                "guide-hopital.pdf", "guide hopital.pdf"
            )
        },
        "resources/hopital.yaml:3: url: l’adresse contient des espaces",
    ),
    "missing title": (
        {
            "resources__hopital": FILES["resources/hopital.yaml"].replace(
                "  title: Guide — Hôpital\n", ""
            )
        },
        "resources/hopital.yaml:1: title: missing: this field is required",
    ),
    "misspelt field": (
        {"resources__hopital": FILES["resources/hopital.yaml"].replace("  group:", "  groupe:")},
        "resources/hopital.yaml:4: groupe: unknown field",
    ),
    "field given twice": (
        {
            "resources__hopital": FILES["resources/hopital.yaml"].replace(
                "  kind: guide\n", "  kind: guide\n  kind: guide\n"
            )
        },
        "resources/hopital.yaml:6: (yaml): duplicate key 'kind'",
    ),
    "number instead of text": (
        {"resources__hopital": FILES["resources/hopital.yaml"].replace("Va1", "1.3")},
        "resources/hopital.yaml:10: version: 1.3 is not text: put it in quotes",
    ),
    "ref to an unknown resource": (
        {
            "resources__officine": FILES["resources/officine.yaml"].replace(
                "ref: hop-guide", "ref: hop-inconnu"
            )
        },
        "resources/officine.yaml:1: ref: unknown resource 'hop-inconnu'",
    ),
    "unknown region": (
        {
            "resources__hopital": FILES["resources/hopital.yaml"].replace(
                "  version: Va1\n", "  version: Va1\n  region: XYZ\n"
            )
        },
        "resources/hopital.yaml:11: region: unknown region 'XYZ'",
    ),
    "unknown status": (
        {
            "resources__hopital": FILES["resources/hopital.yaml"].replace(
                "  version: Va1\n", "  version: Va1\n  status: perime\n"
            )
        },
        "resources/hopital.yaml:11: status: 'perime': write active or archived",
    ),
    "unquoted insee code": (
        {"regions": FILES["regions.yaml"].replace('"76"', "76")},
        "regions.yaml:3: insee: 76 is not text: put it in quotes",
    ),
    "private address": (
        {
            "resources__hopital": FILES["resources/hopital.yaml"].replace(
                "https://example.org/guide-hopital.pdf", "http://10.0.0.8/guide.pdf"
            )
        },
        "resources/hopital.yaml:3: url: hôte local, privé ou réservé (10.0.0.8)",
    ),
    "loopback name": (
        {
            "publishers": FILES["publishers.yaml"].replace(
                "https://esante.gouv.fr", "http://localhost"
            )
        },
        "publishers.yaml:4: url: hôte local, privé ou réservé (localhost)",
    ),
    "description over five thousand characters": (
        {
            "resources__hopital": FILES["resources/hopital.yaml"].replace(
                "  group: Pour bien démarrer\n",
                "  group: Pour bien démarrer\n  description: " + "x" * 5001 + "\n",
            )
        },
        "resources/hopital.yaml:5: description: texte trop long (5\u202f001 caractères",
    ),
    "missing file": (
        {"vocabulary": None},
        "vocabulary.yaml:0: (fichier): file missing",
    ),
    "not a list": (
        {"glossary": "term: DPI\n"},
        "glossary.yaml:1: (liste): expected a list of glossary term",
    ),
}


@pytest.mark.parametrize("changes, expected", BAD_PACKS.values(), ids=BAD_PACKS.keys())
def test_it_refuses_a_bad_pack_and_says_where(db, tmp_path, changes, expected):
    before, generation = catalog_snapshot(), CatalogState.current()

    errors = load_errors(write_pack(tmp_path, **changes))

    assert expected in errors
    assert catalog_snapshot() == before
    assert CatalogState.current() == generation


def test_it_lists_every_problem_at_once(db, tmp_path):
    broken = (
        FILES["resources/hopital.yaml"]
        .replace("kind: guide", "kind: gide")
        .replace("https://example.org/segur/hopital", "javascript:void(0)")
    )

    errors = load_errors(write_pack(tmp_path, resources__hopital=broken))

    assert "kind: unknown kind 'gide'" in errors
    assert "url: protocole refusé (javascript:)" in errors


def test_it_refuses_a_path_that_is_not_a_directory(db, tmp_path):
    errors = load_errors(tmp_path / "absent")

    assert "not a directory" in errors


def test_a_pack_that_moves_only_placements_moves_the_revision_first(empty_catalog, tmp_path):
    """An editor's form opened before the load must get a conflict, not undo the move."""
    load(write_pack(tmp_path))
    guide = Resource.objects.get(key="hop-guide")
    without_ref = FILES["resources/officine.yaml"].split("- key:")[1]

    load(write_pack(tmp_path, resources__officine="- key:" + without_ref))

    assert Resource.objects.get(pk=guide.pk).revision > guide.revision
    seen = history.placements_at_revision(guide, guide.revision)
    assert sorted(standing.section.slug for standing in seen) == ["hopital", "officine"]


def test_text_is_read_as_the_back_office_stores_it(db, tmp_path):
    pasted = FILES["resources/hopital.yaml"].replace(
        "title: Guide — Hôpital", 'title: "Guide\\vINS\\e — Ho\\u0302pital"'
    )

    resource = read_pack(write_pack(tmp_path, resources__hopital=pasted)).resources[0]

    assert resource.title == "Guide INS — Hôpital"


def test_a_pack_that_expands_aliases_is_refused_without_the_expansion(db, tmp_path):
    # Six levels of ten aliases: 400 bytes that read as ten million characters.
    lines = ["name: essai", 'intro: &a0 "xxxxxxxxxx"']
    for n in range(1, 7):
        lines.append(f"x{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]")
    lines.append("title: [" + ", ".join(["*a6"] * 10) + "]")

    errors = load_errors(write_pack(tmp_path, pack="\n".join(lines) + "\n"))

    assert "pack.yaml:3: (yaml): aliases (*name) are not allowed in a pack" in errors
    assert len(errors) < 1000


def test_a_pack_file_too_large_is_refused_before_it_is_read(db, tmp_path, monkeypatch):
    monkeypatch.setattr("sommaire.catalog.pack.MAX_FILE_BYTES", 2_000)
    huge = FILES["resources/hopital.yaml"] + "# padding\n" * 300

    errors = load_errors(write_pack(tmp_path, resources__hopital=huge))

    assert "resources/hopital.yaml:0: (fichier): file too large" in errors
    assert "split it into several files" in errors
    load(write_pack(tmp_path / "under-the-limit"))
    assert Resource.objects.filter(key="hop-guide").exists()
