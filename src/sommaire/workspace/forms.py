"""Forms of the workspace drawn with the DSFR's classes, errors tied to their field."""

from django import forms


class DsfrMixin:
    """Give each widget its DSFR class, and each field in error an accessible description."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.HiddenInput):
                continue
            css = "fr-select" if isinstance(widget, forms.Select) else "fr-input"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                described = widget.attrs.get("aria-describedby", "")
                error_id = f"{self[name].auto_id}-erreur"
                if error_id not in described:
                    widget.attrs["aria-describedby"] = f"{described} {error_id}".strip()
