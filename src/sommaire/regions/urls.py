from django.urls import path

from sommaire.public.cache import cached_page
from sommaire.regions import views
from sommaire.regions.feeds import RegionNewsFeed

app_name = "regions"
urlpatterns = [
    path("regions/", views.picker, name="picker"),
    path("regions/<str:code>/", views.region, name="region"),
    path("regions/<str:code>.atom", cached_page(RegionNewsFeed()), name="feed"),
]
