"""Template helpers of the portal: ``{% load egov %}`` then ``{{ status|label }}``; a status as
a coloured tag: ``<strong class="govuk-tag {{ s|tag_colour }}">{{ s|label }}</strong>``; form
controls the GOV.UK way (egov/_form.html: ``govuk_kind``, ``govuk_widget``)."""

from decimal import Decimal

from django import forms, template
from django.utils import timezone
from django.utils.formats import date_format

from egov.portal.labels import label as label_of

register = template.Library()


@register.filter
def label(code) -> str:
    return label_of(code)


# A tag's colour says what a status asks of the citizen (GOV.UK's guidance on tags): green
# done, or ready for them; orange their action is needed; yellow an officer is checking
# something unusual; red refused, revoked or failed; grey finished or merely queued. Waiting on
# an officer or a system (most statuses) keeps the default blue. Codes as the contexts
# publish them (their labels say the words); a code not listed here is blue.
TAG_COLOURS = {
    "DICETAK": "green",  # e-KTP printed, ready to collect
    "DISETUJUI": "green",  # permit approved
    "delivered": "green",  # notification delivered
    "PERBAIKAN": "orange",  # the applicant must correct something
    "DUPLIKASI": "yellow",  # possible duplicate record, under review
    "DITOLAK": "red",
    "DICABUT": "red",
    "failed": "red",
    "DISERAHKAN": "grey",  # card handed over: nothing left to do
    "created": "grey",  # notification queued
}


@register.filter
def tag_colour(code) -> str:
    """The GOV.UK tag modifier class for a status code (``govuk-tag--green``), or "" (blue)."""
    colour = TAG_COLOURS.get(str(code))
    return f"govuk-tag--{colour}" if colour else ""


# GOV.UK's fixed input widths (in characters); a field whose length is known gets the
# narrowest that holds it, so a 16-digit NIK does not look like a free-text field.
_INPUT_WIDTHS = (2, 3, 4, 5, 10, 20)


@register.filter
def govuk_kind(field: forms.BoundField) -> str:
    """Which GOV.UK control renders a bound field: checkbox, select, textarea, file-upload or
    input; "other" for a group of controls (radios, several checkboxes), rendered by Django."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if widget.use_fieldset:
        return "other"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file-upload"
    return "input"


@register.filter
def govuk_widget(field: forms.BoundField) -> str:
    """The field's control with GOV.UK's classes (error state included); Django adds the
    aria-describedby (hint, error) and aria-invalid itself."""
    kind = govuk_kind(field)
    if kind == "other":
        return field.as_widget()
    base = "govuk-checkboxes__input" if kind == "checkbox" else f"govuk-{kind}"
    classes = [field.field.widget.attrs.get("class", ""), base]
    if field.errors and kind != "checkbox":
        classes.append(f"{base}--error")
    if kind == "input":
        classes.append(_width_class(field.field))
    return field.as_widget(attrs={"class": " ".join(c for c in classes if c)})


def _width_class(field: forms.Field) -> str:
    if isinstance(field, forms.DateField):
        return "govuk-input--width-10"
    length = getattr(field, "max_length", None) or getattr(field, "max_digits", None)
    fits = [width for width in _INPUT_WIDTHS if length and length <= width]
    return f"govuk-input--width-{fits[0]}" if fits else ""


@register.filter
def waktu(value) -> str:
    """One date-time format everywhere: ``29 November 2026, 14.50 WIB`` (month names in the
    active language, the platform's time zone)."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{date_format(local, 'j F Y')}, {local:%H.%M} {_zone_name(local)}"


@register.filter
def tanggal(value) -> str:
    """A date alone: ``29 November 2026``."""
    return date_format(value, "j F Y") if value else ""


@register.filter
def rupiah(value) -> str:
    """Money as Indonesians write it: ``Rp1.250.000`` (``Rp1.250.000,50`` with cents)."""
    if value in (None, ""):
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"))
    whole, cents = divmod(abs(amount), 1)
    text = f"{int(whole):,}".replace(",", ".")
    if cents:
        text += "," + f"{cents:.2f}"[2:]
    return f"{'-' if amount < 0 else ''}Rp{text}"


def _zone_name(local) -> str:
    """WIB/WITA/WIT for Indonesia's zones, else the zone's own abbreviation."""
    names = {7: "WIB", 8: "WITA", 9: "WIT"}
    offset = local.utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset is not None else None
    return names.get(hours, local.tzname() or "")
