"""Template helpers of the portal: ``{% load egov %}`` then ``{{ status|label }}``."""

from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.formats import date_format

from egov.portal.labels import label as label_of

register = template.Library()


@register.filter
def label(code) -> str:
    return label_of(code)


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
