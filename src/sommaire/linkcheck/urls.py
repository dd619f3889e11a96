from django.urls import path

from sommaire.linkcheck import views

app_name = "linkcheck"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("rapport.csv", views.report_as_csv, name="csv"),
    path("<int:pk>/accepter/", views.accept, name="accept"),
    path("signalements/<int:pk>/traite/", views.close_report, name="close-report"),
]
