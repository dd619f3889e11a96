"""The editors' workspace under /gestion/ (the Django admin is at /gestion/admin/).

One line per page; every view is guarded by `workspace.access.requires`.
"""

from django.urls import path

from sommaire.workspace import (
    candidates,
    contacts,
    dashboard,
    documents,
    frame,
    links,
    resources,
    signin,
)

app_name = "workspace"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("connexion/", signin.SignIn.as_view(), name="sign-in"),
    path("deconnexion/", signin.SignOut.as_view(), name="sign-out"),
    # The review queue: candidates.py.
    path("candidats/", candidates.index, name="candidates"),
    path("candidats/ecarter/", candidates.dismiss_many, name="candidates-dismiss"),
    path("candidats/<int:pk>/", candidates.review, name="candidate"),
    path("candidats/<int:pk>/ecarter/", candidates.dismiss, name="candidate-dismiss"),
    path("candidats/<int:pk>/reporter/", candidates.snooze, name="candidate-snooze"),
    # The link dashboard: links.py.
    path("liens/", links.index, name="links"),
    path("liens/rapport.csv", links.report_as_csv, name="links-csv"),
    path("liens/<int:pk>/accepter/", links.accept, name="link-accept"),
    path("liens/<int:pk>/connu/", links.known, name="link-known"),
    path("liens/ressource/<int:pk>/remplacer/", links.replace, name="link-replace"),
    path("liens/ressource/<int:pk>/archiver/", links.archive, name="link-archive"),
    path("liens/signalements/<int:pk>/traite/", links.close_report, name="link-report-close"),
    # Documents whose text changed: documents.py.
    path("documents/", documents.index, name="documents"),
    path("documents/<int:pk>/relu/", documents.reviewed, name="document-reviewed"),
    # Contacts: contacts.py.
    path("contacts/", contacts.index, name="contacts"),
    path("contacts/nouveau/", contacts.create, name="contact-new"),
    path("contacts/<int:pk>/", contacts.edit, name="contact"),
    # The national frame (rubrics, glossary, deadlines): frame.py.
    *[url for kind in frame.FRAMES for url in kind.urls()],
    # The catalog: resources.py (tree, search, form, address check, history).
    path("ressources/", resources.catalog, name="resources"),
    path("ressources/nouvelle/", resources.create, name="resource-new"),
    path("ressources/verifier-adresse/", resources.check, name="resource-check"),
    path("ressources/<slug:key>/", resources.edit, name="resource"),
    path("ressources/<slug:key>/historique/", resources.history_page, name="resource-history"),
    path(
        "ressources/<slug:key>/historique/<int:history_id>/",
        resources.version_page,
        name="resource-version",
    ),
]
