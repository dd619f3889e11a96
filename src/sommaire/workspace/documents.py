"""Documents whose text changed (/gestion/documents/): read them, then say so.

`sommaire extract-documents` notes a document whose text changed as "mise à
jour"; it stays on the editor's list until someone of its scope marks it read.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Max, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sommaire.catalog.models import CatalogEvent
from sommaire.documents.models import DocumentState
from sommaire.editors import permissions
from sommaire.workspace.access import requires
from sommaire.workspace.todo import changed_documents


@requires("edit-resources")
def index(request):
    updated = Max("events__at", filter=Q(events__kind=CatalogEvent.Kind.UPDATED))
    resources = changed_documents(request.user).annotate(updated_at=updated).order_by("-updated_at")
    page = Paginator(resources, 50).get_page(request.GET.get("page"))
    return render(request, "workspace/documents/index.html", {"page": page, "query": ""})


@requires("edit-resources")
@require_POST
def reviewed(request, pk: int):
    resource = permissions.get_resource_for_editor(request, pk)
    DocumentState.mark_reviewed(resource, request.user)
    messages.success(request, f"« {resource.title} » est noté comme relu.")
    return redirect("workspace:documents")
