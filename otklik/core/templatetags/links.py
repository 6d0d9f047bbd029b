"""`{% load links %}` then `{% ext_link url "текст" %}`: every outside link goes through here."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from otklik.core.links import link_html

register = template.Library()


@register.simple_tag
def ext_link(url: object, label: object = None) -> SafeString:
    return link_html(url, label)
