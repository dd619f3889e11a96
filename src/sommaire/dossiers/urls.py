from django.urls import path

from sommaire.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("dossiers/<slug:slug>/", views.page, name="page"),
    path("dossiers/<slug:slug>.pdf", views.pdf, name="pdf"),
]
