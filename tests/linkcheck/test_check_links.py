"""`sommaire check-links`: every URL checked once, classified, recorded, politely."""

import io
import json
import os
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sommaire.catalog.models import Contact, Deadline
from sommaire.linkcheck.models import Check, Link, Run, RunLock
from tests.fetch.hostile import PDF

JSON_FIELDS = {
    "url",
    "status",
    "http_status",
    "final_url",
    "permanent",
    "content_type",
    "elapsed_ms",
    "error",
}


def check_links(*args) -> list[dict]:
    out = io.StringIO()
    call_command("check-links", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines() if line.startswith("{")]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def by_url(lines: list[dict]) -> dict[str, dict]:
    return {line["url"]: line for line in lines}


# path on the hostile server, format of the resource, expected status
BEHAVIOURS = [
    ("/doc.pdf", "pdf", "ok"),
    ("/ok", "page-web", "ok"),
    ("/redirect/permanent", "pdf", "redirected"),
    ("/redirect/temporary", "page-web", "redirected"),
    ("/missing.pdf", "pdf", "broken"),
    ("/gone.pdf", "pdf", "broken"),
    ("/lying-head.pdf", "pdf", "broken"),
    ("/head-refused.pdf", "pdf", "ok"),
    ("/server-error", "page-web", "server_error"),
    ("/busy", "page-web", "server_error"),
    ("/rate-limited", "page-web", "server_error"),
    ("/unauthorized", "page-web", "restricted"),
    ("/forbidden", "pdf", "restricted"),
    ("/soft-404-fr", "page-web", "soft_404"),
    ("/soft-404-en", "page-web", "soft_404"),
    ("/error-page.pdf", "pdf", "soft_404"),
    ("/slow-headers", "page-web", "timeout"),
    ("/slow-body.pdf", "page-web", "timeout"),
    ("/endless.bin", "zip", "ok"),
    ("/bomb.pdf", "pdf", "ok"),
    ("/redirect/loop-a", "page-web", "redirect_error"),
    ("/redirect/chain/11", "page-web", "redirect_error"),
    ("/redirect/metadata", "page-web", "blocked"),
    ("/redirect/private", "pdf", "blocked"),
    ("/redirect/file", "pdf", "blocked"),
    ("/reset", "page-web", "unreachable"),
]


def test_every_behaviour_of_a_hostile_server_gets_its_status(catalog, hostile):
    for path, format, _ in BEHAVIOURS:
        catalog.add(hostile.url(path), format)
    refused = f"http://127.0.0.1:{closed_port()}/doc.pdf"
    catalog.add(refused)

    lines = by_url(check_links("--format", "json", "--timeout", "1.5"))

    found = {path: lines[hostile.url(path)]["status"] for path, _, _ in BEHAVIOURS}
    assert found == {path: status for path, _, status in BEHAVIOURS}
    assert lines[refused]["status"] == "unreachable"
    assert all(set(line) == JSON_FIELDS for line in lines.values())


def test_a_json_line_says_where_a_permanent_redirect_leads(catalog, hostile):
    catalog.add(hostile.url("/redirect/permanent-twice"))

    (line,) = check_links("--format", "json")

    assert line["status"] == "redirected"
    assert line["final_url"] == hostile.url("/doc.pdf")
    assert line["permanent"] is True
    assert line["http_status"] == 200
    assert line["content_type"] == "application/pdf"
    assert line["error"] == ""


def test_a_self_signed_or_unknown_certificate_is_a_tls_error(catalog, tls_servers):
    for label in ("valid", "self-signed", "expired"):
        catalog.add(tls_servers[label].url("/doc.pdf"))

    lines = check_links("--format", "json")

    # "valid" is signed by the tests' own authority, which the command does not trust.
    assert {line["status"] for line in lines} == {"tls_error"}
    assert all(server.count("/doc.pdf") == 0 for server in tls_servers.values())


def test_the_same_url_used_by_fifty_resources_is_fetched_once(catalog, hostile):
    for page in range(50):
        catalog.add(hostile.url(f"/doc.pdf#page={page + 1}"))

    lines = check_links("--format", "json")

    assert [line["url"] for line in lines] == [hostile.url("/doc.pdf")]
    assert hostile.count("/doc.pdf") == 1
    assert Link.objects.get().url == hostile.url("/doc.pdf")


def test_the_server_never_sees_more_than_the_per_host_concurrency(catalog, hostile, settings):
    settings.FETCH_PER_HOST = 4
    for n in range(40):
        catalog.add(hostile.url(f"/counted.pdf?n={n}"))

    lines = check_links("--format", "json")

    assert {line["status"] for line in lines} == {"ok"}
    assert hostile.count("/counted.pdf") == 40
    assert hostile.max_in_flight["/counted.pdf"] == 4


def test_a_run_records_state_and_history(catalog, hostile):
    catalog.add(hostile.url("/doc.pdf"))
    catalog.add(hostile.url("/missing.pdf"))

    check_links("--format", "json")
    check_links("--format", "json")

    ok = Link.objects.get(url=hostile.url("/doc.pdf"))
    missing = Link.objects.get(url=hostile.url("/missing.pdf"))
    assert (ok.status, ok.content_type, ok.content_length) == ("ok", "application/pdf", len(PDF))
    assert ok.last_ok_at is not None and ok.consecutive_failures == 0
    assert (missing.status, missing.consecutive_failures) == ("broken", 2)
    assert missing.first_failure_at < missing.last_checked_at
    assert not missing.is_confirmed_broken()  # two runs, but not a day apart
    assert Check.objects.filter(link=missing).count() == 2
    assert [run.outcome for run in Run.objects.all()] == ["done", "done"]
    assert Run.objects.first().counts == {"ok": 1, "broken": 1}


def test_the_second_run_asks_with_the_stored_validators(catalog, hostile):
    catalog.add(hostile.url("/doc.pdf"))
    check_links("--format", "json")

    (line,) = check_links("--format", "json")

    assert hostile.conditional == ["/doc.pdf"]
    assert (line["status"], line["http_status"]) == ("ok", 304)
    link = Link.objects.get()
    assert (link.content_type, link.content_length) == ("application/pdf", len(PDF))


def test_when_every_host_fails_to_connect_the_network_is_down_and_nothing_changes(catalog, hostile):
    catalog.add(hostile.url("/doc.pdf"))
    check_links("--format", "json")
    Resource = type(catalog.add(f"http://127.0.0.1:{closed_port()}/other.pdf"))
    Resource.objects.filter(url=hostile.url("/doc.pdf")).update(
        url=f"http://127.0.0.1:{closed_port()}/doc.pdf"
    )
    before = list(Link.objects.values_list("url", "status", "last_checked_at"))

    err = io.StringIO()
    call_command("check-links", "--format", "json", stdout=io.StringIO(), stderr=err)

    assert Run.objects.first().outcome == "network_down"
    assert Run.objects.first().get_outcome_display() == "réseau indisponible"
    assert "Réseau indisponible" in err.getvalue()
    assert list(Link.objects.values_list("url", "status", "last_checked_at")) == before


def test_a_second_run_started_meanwhile_does_nothing(catalog, hostile):
    catalog.add(hostile.url("/doc.pdf"))
    other = Run.objects.create()
    assert RunLock.claim(other)

    with pytest.raises(CommandError, match="déjà en cours"):
        check_links("--format", "json")

    assert hostile.count("/doc.pdf") == 0
    assert not Link.objects.exists()
    RunLock.release(other)
    assert check_links("--format", "json")[0]["status"] == "ok"


def test_a_crashed_runs_lock_lapses_and_the_next_run_records_it_interrupted(catalog, hostile):
    catalog.add(hostile.url("/doc.pdf"))
    crashed = Run.objects.create()
    assert RunLock.claim(crashed)
    RunLock.objects.filter(pk=1).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert check_links("--format", "json")[0]["status"] == "ok"

    crashed.refresh_from_db()
    assert crashed.outcome == "failed"
    assert crashed.get_outcome_display() == "interrompue"
    assert Run.objects.exclude(pk=crashed.pk).get().outcome == "done"


def test_a_running_check_keeps_its_lock_beyond_its_first_term(catalog, settings):
    settings.LINKCHECK_LOCK_SECONDS = 3
    run = Run.objects.create()
    assert RunLock.claim(run)
    RunLock.objects.filter(pk=1).update(expires_at=timezone.now())

    assert RunLock.renew(run)

    assert RunLock.objects.get(pk=1).expires_at > timezone.now() + timedelta(seconds=2)
    assert not RunLock.claim(Run.objects.create())


def test_checking_given_urls_prints_them_and_writes_nothing(catalog, hostile):
    catalog.add(hostile.url("/missing.pdf"))

    lines = check_links("--url", hostile.url("/doc.pdf"), "--url", "file:///etc/passwd")

    assert sorted((line["url"], line["status"]) for line in lines) == [
        ("file:///etc/passwd", "blocked"),
        (hostile.url("/doc.pdf"), "ok"),
    ]
    assert hostile.count("/missing.pdf") == 0
    assert not Link.objects.exists() and not Run.objects.exists()


def test_a_section_run_checks_only_that_section_and_below(catalog, hostile):
    catalog.add(hostile.url("/doc.pdf"), section="hopital")
    catalog.add(hostile.url("/ok"), format="page-web", section="officine")

    lines = check_links("--section", "hopital", "--format", "json")

    assert [line["url"] for line in lines] == [hostile.url("/doc.pdf")]
    assert Run.objects.get().scope == "hopital"


def test_an_unknown_section_is_refused(catalog):
    with pytest.raises(CommandError, match="n’existe pas"):
        check_links("--section", "nulle-part")


def test_fail_on_makes_the_command_fail_when_a_url_ends_in_that_status(catalog, hostile):
    catalog.add(hostile.url("/missing.pdf"))
    catalog.add(hostile.url("/doc.pdf"))

    check_links("--fail-on", "timeout")
    with pytest.raises(CommandError, match="1 adresse"):
        check_links("--fail-on", "broken,timeout")


def test_fail_on_refuses_an_unknown_status(catalog):
    with pytest.raises(CommandError, match="unknown status"):
        check_links("--fail-on", "cassé")


def test_the_plain_text_format_gives_a_line_per_url_and_a_summary(catalog, hostile):
    catalog.add(hostile.url("/missing.pdf"))

    out = io.StringIO()
    call_command("check-links", "--format", "text", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == f"broken {hostile.url('/missing.pdf')} HTTP 404"
    assert lines[-1] == "1 adresse(s) vérifiée(s) : 1 introuvable."


def test_a_malformed_allowed_network_stops_the_run_before_any_request(catalog, hostile, settings):
    """The command skips Django's system checks: it refuses a bad setting itself."""
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8", "le réseau local"]
    catalog.add(hostile.url("/doc.pdf"))

    with pytest.raises(CommandError, match="SOMMAIRE_FETCH_ALLOWED_NETWORKS.*le réseau local"):
        check_links("--format", "json")

    assert hostile.count("/doc.pdf") == 0
    assert not Run.objects.exists()


def test_contact_sites_and_the_sources_of_contacts_and_deadlines_are_checked(catalog, hostile):
    contact = Contact.objects.filter(region__code="IDF").first()
    Contact.objects.filter(pk=contact.pk).update(
        url=hostile.url("/ok"), source=hostile.url("/gone.pdf")
    )
    Deadline.objects.filter(pk=Deadline.objects.first().pk).update(
        source=hostile.url("/missing.pdf")
    )

    lines = by_url(check_links("--format", "json"))

    assert lines[hostile.url("/ok")]["status"] == "ok"
    assert lines[hostile.url("/gone.pdf")]["status"] == "broken"
    assert lines[hostile.url("/missing.pdf")]["status"] == "broken"


def test_its_start_up_imports_neither_the_api_nor_the_stemmer(tmp_path):
    """django-ninja and pydantic are for the web app's API (installed as an app,
    ninja was imported at every start of every command, a fifth of this one's);
    the French stemmer is for indexing and searching."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SOMMAIRE_")}
    environment.update(DJANGO_SETTINGS_MODULE="sommaire.settings", SOMMAIRE_VAR_DIR=str(tmp_path))
    start_up = (
        "import django; django.setup(); from django.core.management import load_command_class; "
        "load_command_class('sommaire.linkcheck', 'check-links')"
    )
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", start_up],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}

    assert "sommaire.linkcheck.services" in imported
    assert not imported & {"ninja", "pydantic", "sommaire.api.v1", "snowballstemmer"}
