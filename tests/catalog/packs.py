"""A small valid pack written from Python, for tests that break it on purpose."""

from pathlib import Path

FILES = {
    "pack.yaml": """\
name: essai
title: Paquet d’essai
intro: |
  Un paquet minimal pour les tests.
""",
    "vocabulary.yaml": """\
kinds:
  - slug: guide
    label: Guide
  - slug: page-dediee
    label: Page dédiée
formats:
  - slug: pdf
    label: PDF
  - slug: page-web
    label: Page web
profiles:
  - slug: dpi
    label: DPI
    description: Dossier Patient Informatisé
waves:
  - slug: vague-1
    label: Vague 1
""",
    "publishers.yaml": """\
- slug: ans
  name: Agence du Numérique en Santé
  short_name: ANS
  url: https://esante.gouv.fr
""",
    "regions.yaml": """\
- code: OCC
  name: Occitanie
  insee: "76"
  iso: FR-OCC
- code: BRE
  name: Bretagne
  insee: "53"
  iso: FR-BRE
""",
    "sections.yaml": """\
- slug: sommaire
  title: Sommaire
  home: true
- slug: documentation-par-cible
  title: Documentation par cible
- slug: hopital
  title: Hôpital
  parent: documentation-par-cible
  intro: |
    Premier paragraphe.

    Second paragraphe.
- slug: officine
  title: Officine
  parent: documentation-par-cible
- slug: glossaire
  title: Glossaire
  glossary: true
""",
    "glossary.yaml": """\
- term: DPI
  expansion: Dossier Patient Informatisé
  definition: Le logiciel qui tient le dossier du patient à l’hôpital.
""",
    "contacts.yaml": "[]\n",
    "resources/hopital.yaml": """\
- key: hop-guide
  title: Guide — Hôpital
  url: https://example.org/guide-hopital.pdf
  group: Pour bien démarrer
  kind: guide
  format: pdf
  publisher: ans
  profile: dpi
  wave: vague-1
  version: Va1
- key: hop-page
  title: Page dédiée — Hôpital
  url: https://example.org/segur/hopital
  kind: page-dediee
  format: page-web
  publisher: ans
""",
    "resources/officine.yaml": """\
- ref: hop-guide
  group: Ressources partagées
- key: off-page
  title: Page dédiée — Officine
  url: https://example.org/segur/officine
  kind: page-dediee
  format: page-web
  publisher: ans
""",
}


def write_pack(directory: Path, **changes: str | None) -> Path:
    """Write the pack, replacing (or with None, removing) the named files.

    File names use "__" for "/": resources__hopital="..." replaces resources/hopital.yaml.
    """
    files = dict(FILES)
    for name, text in changes.items():
        filename = name.replace("__", "/") + ".yaml"
        if text is None:
            files.pop(filename, None)
        else:
            files[filename] = text
    (directory / "resources").mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory
