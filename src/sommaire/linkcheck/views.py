"""The editors' link health dashboard: /gestion/liens/ (staff only for now)."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sommaire.linkcheck.models import Link, RedirectAcceptance
from sommaire.linkcheck.report import NotAcceptable, Report, accept_redirect, report_csv


@staff_member_required
def dashboard(request):
    report = Report.build()
    return render(
        request,
        "linkcheck/dashboard.html",
        {
            "report": report,
            "chart": report.chart(),
            "acceptances": RedirectAcceptance.objects.select_related("accepted_by")[:10],
        },
    )


@staff_member_required
def report_as_csv(request):
    response = HttpResponse(report_csv(), content_type="text/csv; charset=utf-8")
    filename = f"liens-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_member_required
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
