"""What readers are told about a link: never broken after one blip, sizes and dates in French."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from sommaire.linkcheck.models import Check, Link, Run
from sommaire.linkcheck.services import Outcome, apply_outcomes, health_of, human_size

PARIS = ZoneInfo("Europe/Paris")
MONDAY = datetime(2026, 11, 23, 3, 0, tzinfo=PARIS)
URL = "https://esante.gouv.fr/doc.pdf"


def outcome(status: str, url: str = URL, **extra) -> Outcome:
    values = dict(
        url=url,
        status=status,
        http_status=200 if status in ("ok", "redirected") else 404,
        final_url=url,
        permanent=False,
        content_type="application/pdf",
        elapsed_ms=12,
        error="" if status == "ok" else "HTTP 404",
        content_length=63_365,
    )
    values.update(extra)
    return Outcome(**values)


def run_at(moment, *outcomes) -> bool:
    return apply_outcomes(Run.objects.create(started_at=moment), list(outcomes), moment)


def test_one_failure_is_a_blip_not_a_broken_link(db):
    run_at(MONDAY, outcome("ok"))
    run_at(MONDAY + timedelta(days=1), outcome("broken"))

    link = Link.objects.get(url=URL)
    assert link.is_failing()
    assert not link.is_confirmed_broken()
    assert health_of(URL, {URL: link}).broken == ""


def test_two_failures_the_same_day_are_not_enough(db):
    run_at(MONDAY, outcome("broken"))
    run_at(MONDAY + timedelta(hours=6), outcome("broken"))

    assert not Link.objects.get(url=URL).is_confirmed_broken()


def test_failures_on_two_runs_a_day_apart_confirm_it_with_a_plain_reason(db):
    run_at(MONDAY, outcome("broken"))
    run_at(MONDAY + timedelta(days=1), outcome("broken"))

    link = Link.objects.get(url=URL)
    assert link.is_confirmed_broken()
    assert health_of(URL, {URL: link}).broken == (
        "Lien signalé indisponible depuis le 23 novembre 2026 : "
        "le document n’existe plus à cette adresse"
    )


def test_a_success_in_between_starts_the_count_again(db):
    run_at(MONDAY, outcome("timeout"))
    run_at(MONDAY + timedelta(days=1), outcome("ok"))
    run_at(MONDAY + timedelta(days=2), outcome("timeout"))

    link = Link.objects.get(url=URL)
    assert (link.consecutive_failures, link.first_failure_at) == (1, MONDAY + timedelta(days=2))
    assert not link.is_confirmed_broken()


def test_a_restricted_link_is_never_shown_broken(db):
    run_at(MONDAY, outcome("restricted"))
    run_at(MONDAY + timedelta(days=2), outcome("restricted"))

    assert not Link.objects.get(url=URL).is_confirmed_broken()


def test_every_check_is_kept_in_the_history(db):
    for day in range(3):
        run_at(MONDAY + timedelta(days=day), outcome("ok"))

    link = Link.objects.get(url=URL)
    assert list(link.checks.values_list("status", flat=True)) == ["ok", "ok", "ok"]


def test_a_run_of_a_thousand_links_keeps_each_its_own_state_and_history(db):
    """Past a few hundred URLs links are read by one scan: each must still get its own row."""
    other = "https://esante.gouv.fr/pas-dans-ce-lot.pdf"
    run_at(MONDAY, outcome("ok", url=other))
    urls = [f"https://esante.gouv.fr/documents/{n}.pdf" for n in range(1000)]
    run_at(MONDAY, *(outcome("ok" if n % 3 else "broken", url=u) for n, u in enumerate(urls)))

    run_at(MONDAY + timedelta(days=1), *(outcome("broken", url=u) for u in urls[:10]))

    states = dict(Link.objects.filter(url__in=urls).values_list("url", "consecutive_failures"))
    assert [states[u] for u in urls[:4]] == [2, 1, 1, 2]
    assert [states[u] for u in urls[10:13]] == [0, 0, 1]
    assert Check.objects.filter(link__url__in=urls).count() == 1010
    assert Check.objects.filter(link__url=urls[0]).count() == 2
    assert Link.objects.get(url=other).checks.count() == 1


def test_old_history_is_pruned(db):
    run_at(MONDAY - timedelta(days=400), outcome("ok"))
    run_at(MONDAY, outcome("ok"))

    assert Check.prune(MONDAY) == 1
    assert Check.objects.count() == 1


def test_readers_get_format_size_and_the_date_of_the_last_good_check(db):
    run_at(MONDAY, outcome("ok"))
    run_at(MONDAY + timedelta(days=2), outcome("broken"))
    link = Link.objects.get(url=URL)

    health = health_of(URL + "#page=3", {URL: link})

    assert health.href == URL + "#page=3"
    assert health.detail("PDF") == "PDF – 61,9 Ko – vérifié le 23 novembre 2026"


def test_after_a_permanent_redirect_readers_get_the_new_address(db):
    new = "https://esante.gouv.fr/nouveau/doc.pdf"
    run_at(MONDAY, outcome("redirected", final_url=new, permanent=True))

    health = health_of(URL + "#p2", {URL: Link.objects.get(url=URL)})

    assert health.href == new + "#p2"


def test_a_temporary_redirect_keeps_the_catalog_address(db):
    run_at(MONDAY, outcome("redirected", final_url="https://esante.gouv.fr/tmp", permanent=False))

    assert health_of(URL, {URL: Link.objects.get(url=URL)}).href == URL


def test_an_unchecked_link_says_it_is_not_verified_yet(db):
    assert health_of(URL, {}).detail("PDF") == "PDF – pas encore vérifié"


def test_a_run_that_changes_nothing_readers_see_says_so(db):
    assert run_at(MONDAY, outcome("ok")) is True
    assert run_at(MONDAY + timedelta(hours=1), outcome("ok")) is False
    assert run_at(MONDAY + timedelta(hours=2), outcome("broken")) is False
    assert run_at(MONDAY + timedelta(days=2), outcome("broken")) is True


def test_sizes_are_written_as_french_readers_write_them():
    assert [human_size(n) for n in (None, 850, 63_365, 1_258_291, 5 * 1024**3)] == [
        "",
        "850 octets",
        "61,9 Ko",
        "1,2 Mo",
        "5 Go",
    ]


def test_the_template_tag_reads_every_link_in_one_query(db, rf):
    urls = [f"https://esante.gouv.fr/{n}.pdf" for n in range(20)]
    run_at(MONDAY, *(outcome("ok", url=u) for u in urls))
    resources = [type("R", (), {"url": u})() for u in urls]
    template = Template(
        "{% load link_health %}{% for r in resources %}"
        "{% link_health r as health %}{{ health.verified }};{% endfor %}"
    )

    with CaptureQueriesContext(connection) as queries:
        html = template.render(Context({"resources": resources, "request": rf.get("/")}))

    assert len(queries) == 1
    assert html.count("vérifié le 23 novembre 2026;") == 20
