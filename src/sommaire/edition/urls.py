from django.urls import path

from sommaire.edition import views

app_name = "edition"
urlpatterns = [
    path("sommaire.pdf", views.full, name="full"),
    path("region/<slug:code>.pdf", views.region, name="region"),
    path("editions/<int:number>.pdf", views.published, name="published"),
    path("<slug:slug>.pdf", views.section, name="section"),
]
