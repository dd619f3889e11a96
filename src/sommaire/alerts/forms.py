from django import forms

from sommaire.alerts.models import Subscription
from sommaire.catalog.models import Region, Section
from sommaire.dossiers.models import Dossier


class SubscriptionForm(forms.Form):
    email = forms.EmailField(
        label="Adresse électronique",
        help_text="Format attendu : nom@domaine.fr",
        widget=forms.EmailInput(attrs={"class": "fr-input", "autocomplete": "email"}),
    )
    section = forms.ModelChoiceField(
        Section.objects.filter(is_home=False, is_glossary=False),
        label="Rubrique",
        required=False,
        to_field_name="slug",
        empty_label="Toutes les rubriques",
        widget=forms.Select(attrs={"class": "fr-select"}),
    )
    region = forms.ModelChoiceField(
        Region.objects.all(),
        label="Région",
        help_text="Les nouveautés nationales et celles de la région choisie.",
        required=False,
        to_field_name="code",
        empty_label="Toutes les régions",
        widget=forms.Select(attrs={"class": "fr-select"}),
    )
    query = forms.CharField(
        label="Recherche enregistrée",
        help_text="Facultatif : des mots que les nouveautés doivent contenir, par exemple « DPI ».",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "fr-input"}),
    )
    dossier = forms.ModelChoiceField(
        Dossier.objects.published(),
        required=False,
        to_field_name="slug",
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "Ce dossier n’est pas publié : il ne se suit pas."},
    )
    frequency = forms.ChoiceField(
        label="Fréquence",
        choices=Subscription.Frequency.choices,
        initial=Subscription.Frequency.WEEKLY,
        widget=forms.Select(attrs={"class": "fr-select"}),
    )

    def followed_dossier(self) -> Dossier | None:
        """The dossier this form subscribes to, if any (then the other filters do not apply)."""
        value = self["dossier"].value()
        return Dossier.objects.published().filter(slug=value).first() if value else None

    def fields_shown(self) -> list:
        hidden = {"section", "region", "query"} if self.followed_dossier() else set()
        return [f for f in self.visible_fields() if f.name not in hidden]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("dossier"):
            cleaned.update(section=None, region=None, query="")
        return cleaned
