"""The search page: /recherche/?q=...&kind=...&page=2."""

from django.shortcuts import render

from sommaire.public.acronyms import acronyms_for
from sommaire.public.cache import cached_page, catalog_generation
from sommaire.public.tree import SectionTree
from sommaire.search import page


@cached_page
def results(request):
    found = page.build(request.GET)
    tree = SectionTree.load()
    return render(
        request,
        "search/results.html",
        {
            "found": found,
            "tree": tree,
            "nav_sections": tree.top(),
            "glossary_section": tree.glossary,
            "acronyms": acronyms_for(catalog_generation(request)),
            "current_root": None,
        },
    )
