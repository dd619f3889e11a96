"""What a browser would post from a page's form, read from the HTML the page sent."""

from selectolax.lexbor import LexborHTMLParser as HTMLParser


def posted(html: str, selector: str = "main form[method=post]", **changes) -> dict:
    """The form's fields as submitted without touching them, then `changes` on top.

    A change of None leaves the field out (an unticked box).
    """
    form = HTMLParser(html).css_first(selector)
    assert form is not None, f"no {selector} in the page"
    data: dict[str, str] = {}
    for node in form.css("input, select, textarea"):
        attrs = node.attributes
        name = attrs.get("name")
        if not name or "disabled" in attrs:
            continue
        kind = (attrs.get("type") or "").lower()
        if kind in ("submit", "button", "image", "reset"):
            continue
        if kind in ("checkbox", "radio"):
            if "checked" in attrs:
                data[name] = attrs.get("value") or "on"
            continue
        if node.tag == "select":
            options = node.css("option")
            chosen = [o for o in options if "selected" in o.attributes] or options[:1]
            data[name] = chosen[0].attributes.get("value", "") if chosen else ""
        elif node.tag == "textarea":
            data[name] = node.text()
        else:
            data[name] = attrs.get("value") or ""
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = str(value)
    return data
