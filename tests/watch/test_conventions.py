"""File name conventions: what an address says about its document."""

import pytest

from sommaire.watch.conventions import Vocabulary, guess, is_newer, read_name

VOCABULARY = Vocabulary(
    kinds={"dsr", "rem", "appel-a-financement", "arrete", "guide", "fiche-pratique"},
    formats={"pdf", "xlsx", "page-web"},
    profiles={"dpi", "ri", "lgc"},
    waves={"vague-1", "vague-2"},
    labels={"dsr": "DSR", "rem": "REM", "dpi": "DPI", "appel-a-financement": "Appel à financement"},
)


@pytest.mark.parametrize(
    ("url", "kind", "fmt", "profile", "wave", "version"),
    [
        ("https://x.fr/DSR-HOP-DPI-Va1.pdf", "dsr", "pdf", "dpi", "vague-1", "Va1"),
        ("https://x.fr/af-hop-dpi-va2.pdf", "appel-a-financement", "pdf", "dpi", "vague-2", "Va2"),
        ("https://x.fr/REM-MDV-LGC-VA1.1.xlsx", "rem", "xlsx", "lgc", "vague-1", "Va1.1"),
        ("https://x.fr/guide_vague_2.pdf", "guide", "pdf", "", "vague-2", ""),
        (
            "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000043934117",
            "arrete",
            "page-web",
            "",
            "",
            "",
        ),
        ("https://x.fr/inconnu.docx", "", "", "", "", ""),
    ],
)
def test_metadata_is_guessed_from_the_file_name(url, kind, fmt, profile, wave, version):
    g = guess(url, "", VOCABULARY)

    assert (g.kind, g.format, g.profile, g.wave, g.version) == (kind, fmt, profile, wave, version)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Télécharger (PDF, 1,2 Mo)", "DSR — DPI, Va2"),
        ("Dossier de spécifications DPI", "Dossier de spécifications DPI (Va2)"),
        ("DSR DPI Va2 [pdf - 800 ko]", "DSR DPI Va2"),
        ("ici", "DSR — DPI, Va2"),
    ],
)
def test_the_title_comes_from_the_link_text_else_from_the_file_name(text, title):
    assert guess("https://x.fr/DSR-HOP-DPI-Va2.pdf", text, VOCABULARY).title == title


def test_a_higher_version_of_the_same_stem_is_newer():
    va1, va2 = (
        read_name("https://a.fr/DSR-HOP-DPI-Va1.pdf"),
        read_name("https://b.fr/dsr-hop-dpi-va2.pdf"),
    )

    assert is_newer(va2, va1) and not is_newer(va1, va2)
    assert not is_newer(read_name("https://a.fr/DSR-HOP-RI-Va2.pdf"), va1)
    assert not is_newer(read_name("https://a.fr/DSR-HOP-DPI-Va2.xlsx"), va1)
    assert is_newer(
        read_name("https://a.fr/DSR-HOP-DPI-Va1.10.pdf"),
        read_name("https://a.fr/DSR-HOP-DPI-Va1.9.pdf"),
    )
