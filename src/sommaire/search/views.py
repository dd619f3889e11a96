"""The search page: /recherche/?q=...&kind=...&page=2."""

from django.shortcuts import render

from sommaire.public.acronyms import acronyms_for
from sommaire.public.cache import cached_page, catalog_generation
from sommaire.public.tree import SectionTree
from sommaire.search import page, services


@cached_page
def results(request):
    found = page.build(request.GET)
    # Shared by the requests of one catalog generation: nothing may change it.
    tree = services.per_generation("section tree", SectionTree.load)
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
