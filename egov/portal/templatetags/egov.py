"""Template helpers of the portal: ``{% load egov %}`` then ``{{ status|label }}``."""

from django import template

from egov.portal.labels import label as label_of

register = template.Library()


@register.filter
def label(code) -> str:
    return label_of(code)
