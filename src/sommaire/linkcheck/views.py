"""The editors' link health dashboard: /gestion/liens/ (editors only)."""

from django.contrib import messages
from django.contrib.auth.decorators import user_passes_test
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sommaire.editors import permissions
from sommaire.editors.permissions import editable_resources, get_resource_for_editor
from sommaire.linkcheck.models import Link, LinkReport, RedirectAcceptance
from sommaire.linkcheck.report import NotAcceptable, Report, accept_redirect, report_csv
from sommaire.linkcheck.services import open_reports

# Editors by their role (sommaire.editors.permissions), not by Django's
# is_staff flag; others go to the back-office's sign-in page.
editors_only = user_passes_test(permissions.is_editor, login_url="admin:login")


@editors_only
def dashboard(request):
    report = Report.build()
    return render(
        request,
        "linkcheck/dashboard.html",
        {
            "report": report,
            "chart": report.chart(),
            "acceptances": RedirectAcceptance.objects.select_related("accepted_by")[:10],
            "reports": open_reports(editable_resources(request.user))[:50],
        },
    )


@editors_only
def report_as_csv(request):
    response = HttpResponse(report_csv(), content_type="text/csv; charset=utf-8")
    filename = f"liens-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@editors_only
@require_POST
def accept(request, pk: int):
    link = get_object_or_404(Link, pk=pk)
    try:
        accepted = accept_redirect(link, request.user)
    except NotAcceptable as error:
        messages.error(request, f"Redirection non acceptée : {error}.")
    else:
        messages.success(
            request,
            f"Nouvelle adresse enregistrée pour {len(accepted)} ressource(s) : {link.final_url}",
        )
    return redirect("linkcheck:dashboard")


@editors_only
@require_POST
def close_report(request, pk: int):
    """A reader's report dealt with; only by an editor of its resource."""
    report = get_object_or_404(LinkReport, pk=pk, closed_at__isnull=True)
    get_resource_for_editor(request, report.resource_id)  # 403 outside their scope
    report.close()
    messages.success(request, f"Signalement traité : {report.resource.title}")
    return redirect("linkcheck:dashboard")
