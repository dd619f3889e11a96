"""Échéances: the dates of the programme, on their page, on section pages and as
iCalendar files (`calendar.py`).

Whether a deadline is coming or past depends on the clock, not only on the
catalog: the page cache keeps a page for a quarter of an hour at most
(`cache.page_key`), so a deadline passes on the pages within that time.
"""

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from sommaire.catalog.models import Deadline, Section, Wave, split_deadlines
from sommaire.public.cache import cached_page
from sommaire.public.calendar import calendar
from sommaire.public.listing import deadlines_of
from sommaire.public.news import section_or_404
from sommaire.public.tree import SectionTree
from sommaire.public.views import _page


def _wave_or_404(slug: str) -> Wave | None:
    if not slug:
        return None
    wave = Wave.objects.filter(slug=slug).first()
    if wave is None:
        raise Http404("Cette vague n’existe pas.")
    return wave


def sections_with_deadlines(tree: SectionTree) -> list[Section]:
    """The filter's choices: sections that hold deadlines, or whose subsections do."""
    own = set(Deadline.objects.values_list("section_id", flat=True))
    return [
        s
        for s in tree.sections
        if not (s.is_home or s.is_glossary) and any(d.pk in own for d in [s, *tree.descendants(s)])
    ]


@cached_page
def deadlines(request):
    tree = SectionTree.load()
    slug = request.GET.get("rubrique", "")
    section = section_or_404(tree, slug) if slug else None
    wave = _wave_or_404(request.GET.get("vague", ""))
    coming, past = split_deadlines(deadlines_of(tree, section, wave), timezone.now())
    return _page(
        request,
        "public/deadlines.html",
        tree,
        section=section,
        wave=wave,
        coming=coming,
        past=past,
        section_choices=sections_with_deadlines(tree),
        wave_choices=Wave.objects.all(),
        page_title="Échéances",
    )


def _ics_response(rows, name: str, filename: str) -> HttpResponse:
    rows = sorted(rows, key=Deadline.sort_key)
    response = HttpResponse(calendar(rows, name), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@cached_page
def calendar_all(request):
    rows = deadlines_of(SectionTree.load())
    return _ics_response(rows, "Échéances du Ségur numérique", "echeances.ics")


@require_safe
@cached_page
def calendar_section(request, slug: str):
    tree = SectionTree.load()
    section = section_or_404(tree, slug)
    name = f"Échéances du Ségur numérique — {section.title}"
    return _ics_response(deadlines_of(tree, section), name, f"echeances-{section.slug}.ics")
