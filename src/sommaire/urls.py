from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("gestion/", admin.site.urls),
    path("", include("sommaire.public.urls")),
]
