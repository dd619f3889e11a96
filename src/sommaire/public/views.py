"""The published sommaire: home, sections, resources, glossary, legal pages.

Each page costs a constant number of queries (the section tree in one, the
listings with their vocabularies joined) and is cached whole by
`cache.cached_page` for anonymous readers.
"""

from django.db.models import Max
from django.http import Http404
from django.shortcuts import redirect, render

from sommaire.catalog.models import GlossaryTerm, PackInfo, Placement, Resource
from sommaire.edition.build import built_size
from sommaire.edition.content import Scope
from sommaire.linkcheck.services import human_size
from sommaire.public.acronyms import acronyms_for
from sommaire.public.cache import cached_page, catalog_generation
from sommaire.public.listing import (
    SectionDeadlines,
    glossary_by_letter,
    group_placements,
    kinds_by_couloir,
    placements_of,
)
from sommaire.public.tree import SectionTree
from sommaire.regions.contacts import WhoToAsk
from sommaire.search.listing import filter_placements


def _page(request, template: str, tree: SectionTree, **context):
    """Render a public page with what every page shows: navigation and glossary."""
    context.setdefault("current_root", None)
    context.update(
        tree=tree,
        nav_sections=tree.top(),
        glossary_section=tree.glossary,
        acronyms=acronyms_for(catalog_generation(request)),
    )
    return render(request, template, context)


@cached_page
def home(request):
    tree = SectionTree.load()
    region = getattr(request, "reader_region", None)  # the reader's pick (sommaire.regions)
    tree.count_resources(region)
    home_section = tree.home
    placements = placements_of(home_section, region) if home_section else []
    return _page(
        request,
        "public/home.html",
        tree,
        home=home_section,
        title=_home_title(home_section),
        headings=tree.headings(),
        groups=group_placements(placements),
        by_couloir=kinds_by_couloir(tree, HOME_BY_COULOIR),
        updated_at=Resource.objects.aggregate(last=Max("changed_at"))["last"],
    )


# What the source sommaire points to from its first page, couloir by couloir.
HOME_BY_COULOIR = {
    "fiche-pratique": "Les fiches pratiques par couloir",
    "mode-emploi": "Les modes d’emploi par couloir",
}


def _home_title(home_section) -> str:
    pack = PackInfo.objects.order_by("pk").first()
    return (pack and pack.title) or (home_section and home_section.title) or "Sommaire"


@cached_page
def section(request, slug: str):
    tree = SectionTree.load()
    current = tree.by_slug.get(slug)
    if current is None:
        raise Http404("Cette section n’existe pas.")
    if current.is_home or current.is_glossary:
        return redirect(current.get_absolute_url())
    children = tree.children(current)
    region = getattr(request, "reader_region", None)
    if children:
        tree.count_resources(region)
    placements = placements_of(current, region)
    placements, facets = filter_placements(placements, request.GET)
    return _page(
        request,
        "public/section.html",
        tree,
        section=current,
        ancestors=tree.ancestors(current),
        current_root=tree.root(current),
        children=children,
        groups=group_placements(placements),
        facets=facets,
        deadlines=SectionDeadlines.of(tree, current),
        who_to_ask=WhoToAsk.of(current, tree.ancestors(current), region),
        pdf_size=human_size(
            built_size(Scope(sections=(current.slug,)), catalog_generation(request))
        ),
    )


@cached_page
def resource(request, key: str):
    tree = SectionTree.load()
    try:
        item = Resource.objects.described().get(key=key)
    except Resource.DoesNotExist:
        raise Http404("Cette ressource n’existe pas.") from None
    placements = list(Placement.objects.filter(resource=item))
    for placement in placements:
        placement.section = tree.by_id[placement.section_id]  # from the tree: no query
    placements.sort(key=lambda p: (p.section.order, p.order))
    trails = [(p, [*tree.ancestors(p.section), p.section]) for p in placements]
    return _page(
        request,
        "public/resource.html",
        tree,
        resource=item,
        trails=trails,
        current_root=trails[0][1][0] if trails else None,
    )


@cached_page
def glossary(request):
    tree = SectionTree.load()
    terms = list(GlossaryTerm.objects.all())
    return _page(
        request,
        "public/glossary.html",
        tree,
        section=tree.glossary,
        letters=glossary_by_letter(terms),
        current_root=tree.glossary,
    )


def page_not_found(request, exception=None):
    """The 404 page with the main navigation, like every other page."""
    response = _page(request, "404.html", SectionTree.load())
    response.status_code = 404
    return response


def static_page(template: str, title: str):
    """A page of fixed text (accessibility, legal notice) in the site's frame."""

    @cached_page
    def view(request):
        return _page(request, template, SectionTree.load(), page_title=title)

    return view
