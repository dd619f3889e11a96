from django import forms

from sommaire.alerts.models import Subscription
from sommaire.catalog.models import Region, Section


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
    frequency = forms.ChoiceField(
        label="Fréquence",
        choices=Subscription.Frequency.choices,
        initial=Subscription.Frequency.WEEKLY,
        widget=forms.Select(attrs={"class": "fr-select"}),
    )
