from django.urls import path

from sommaire.public import crawlers, deadlines, news, reports, views
from sommaire.public.cache import cached_page
from sommaire.public.feeds import NewsFeed

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("robots.txt", crawlers.robots_txt, name="robots"),
    path("sitemap.xml", crawlers.sitemap_xml, name="sitemap-xml"),
    path("favicon.ico", crawlers.Favicon.as_view(), name="favicon"),
    path("glossaire/", views.glossary, name="glossary"),
    path("ressource/<slug:key>/", views.resource, name="resource"),
    path("ressource/<slug:key>/signaler/", reports.report_link, name="report-link"),
    path(
        "plan-du-site/",
        views.static_page("public/sitemap.html", "Plan du site"),
        name="sitemap",
    ),
    path(
        "accessibilite/",
        views.static_page("public/accessibility.html", "Déclaration d’accessibilité"),
        name="accessibility",
    ),
    path(
        "mentions-legales/",
        views.static_page("public/legal.html", "Mentions légales"),
        name="legal",
    ),
    path(
        "donnees-personnelles/",
        views.static_page("public/personal_data.html", "Données personnelles et cookies"),
        name="personal-data",
    ),
    # Quoi de neuf, its Atom feeds and reader alerts (news.py, feeds.py).
    path("nouveautes/", news.news, name="news"),
    path("nouveautes.atom", cached_page(NewsFeed()), name="news-feed"),
    path("nouveautes/<slug:slug>.atom", cached_page(NewsFeed()), name="news-section-feed"),
    path("nouveautes/alertes/", news.subscribe, name="news-alerts"),
    path("nouveautes/alertes/confirmer/<str:token>/", news.confirm, name="news-alerts-confirm"),
    path(
        "nouveautes/alertes/desabonnement/<str:token>/",
        news.unsubscribe,
        name="news-alerts-unsubscribe",
    ),
    # Échéances and their iCalendar files (deadlines.py, calendar.py).
    path("echeances/", deadlines.deadlines, name="deadlines"),
    path("echeances.ics", deadlines.calendar_all, name="deadlines-ics"),
    path("echeances/<slug:slug>.ics", deadlines.calendar_section, name="deadlines-section-ics"),
    # Last: any other single word is a section slug.
    path("<slug:slug>/", views.section, name="section"),
]
