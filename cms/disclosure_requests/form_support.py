"""What every public form here does for accessibility (WCAG 2.1 AA): an error summary whose entries link to
the fields, and fields that name their help text and error message in ``aria-describedby``."""

from django import forms

from cms.casework.forms import ErrorSummaryMixin


class AccessibleForm(ErrorSummaryMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe_widgets()

    def anchor(self, name):
        """The id an error-summary link points to: the input itself, or a group's first choice."""
        field = self[name]
        if isinstance(field.field.widget, forms.RadioSelect):
            return f"{field.auto_id}_0"
        return field.auto_id

    def full_clean(self):
        super().full_clean()
        self.describe_widgets()

    def describe_widgets(self):
        for name, field in self.fields.items():
            auto_id = self[name].auto_id
            ids = []
            if field.help_text:
                ids.append(f"{auto_id}_help")
            if self._errors and name in self._errors:
                ids.append(f"{auto_id}_error")
            if isinstance(field.widget, forms.RadioSelect):
                continue  # the group's <fieldset> carries the description
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)
            else:
                field.widget.attrs.pop("aria-describedby", None)
