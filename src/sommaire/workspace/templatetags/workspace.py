"""The workspace navigation: one list, filtered by what the person's role may open."""

from django import template

from sommaire.editors import permissions

register = template.Library()

# (label, address, action of editors.permissions.WORKSPACE that opens it)
NAV = [
    ("Tableau de bord", "/gestion/", "open-workspace"),
    ("Candidats", "/gestion/candidats/", "review-candidates"),
    ("Liens", "/gestion/liens/", "fix-links"),
    ("Ressources", "/gestion/ressources/", "edit-resources"),
    ("Contacts", "/gestion/contacts/", "edit-contacts"),
    ("Rubriques", "/gestion/rubriques/", "edit-frame"),
    ("Glossaire", "/gestion/glossaire/", "edit-frame"),
    ("Échéances", "/gestion/echeances/", "edit-frame"),
    ("Dossiers", "/gestion/dossiers/", "open-workspace"),
    ("Administration", "/gestion/admin/", "open-admin"),
]


@register.inclusion_tag("workspace/includes/nav.html", takes_context=True)
def workspace_nav(context):
    request = context["request"]
    items = []
    for label, address, action in NAV:
        if not permissions.may(request.user, action):
            continue
        if request.path == address:
            current = "page"
        elif address != "/gestion/" and request.path.startswith(address):
            current = "true"
        else:
            current = ""
        items.append({"label": label, "url": address, "current": current})
    return {"items": items}
