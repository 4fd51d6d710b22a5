from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    """Renders every ``{{ form }}`` with our accessible field and error-summary templates."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
