"""The portal menu's "Pajak" item (``egov/templates/base.html``): ``{% load pajak_menu %}``
then ``{% pajak_menu_url as url %}``. Where it leads depends on the visitor's role, as the
pages themselves decide it (``views.py``), so the menu never offers a page that answers 403."""

from django import template
from django.urls import reverse

from apps.pajak import queries
from egov.portal.accounts import principal_of

register = template.Library()


@register.simple_tag(takes_context=True)
def pajak_menu_url(context) -> str:
    """DJP officers (and the superuser): their dashboard. Other officers have no pajak page:
    "" (no item). Citizens: their taxpayer pages; visitors too, like the other items (the
    page asks them to sign in first)."""
    request = context.get("request")
    if request is None:
        return ""
    principal = principal_of(request)
    if queries.petugas_djp(principal):
        return reverse("pajak:dasbor")
    if principal.is_officer:
        return ""
    return reverse("pajak:beranda")
