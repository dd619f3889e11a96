from django.urls import path

from sommaire.regions import views

app_name = "regions"
urlpatterns = [
    path("regions/", views.picker, name="picker"),
    path("regions/<str:code>/", views.contacts, name="contacts"),
]
