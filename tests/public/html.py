"""Pages parsed as a reader's browser would: a small tree from the stdlib parser."""

import re
from html.parser import HTMLParser

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class Element:
    def __init__(self, tag: str, attrs: dict, parent: "Element | None"):
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Element | str] = []

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"

    def get(self, name: str, default=None):
        return self.attrs.get(name, default)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        """The text content, whitespace collapsed as a browser shows it."""
        return re.sub(r"\s+", " ", self._raw_text()).strip()

    def _raw_text(self) -> str:
        return "".join(n if isinstance(n, str) else n._raw_text() for n in self.children)

    def iter(self):
        for node in self.children:
            if isinstance(node, Element):
                yield node
                yield from node.iter()

    def find_all(self, tag: str | None = None, class_: str | None = None, **attrs) -> list:
        found = []
        for node in self.iter():
            if tag and node.tag != tag:
                continue
            if class_ and class_ not in node.classes:
                continue
            if any(node.attrs.get(k.rstrip("_").replace("_", "-")) != v for k, v in attrs.items()):
                continue
            found.append(node)
        return found

    def find(self, tag: str | None = None, class_: str | None = None, **attrs) -> "Element":
        found = self.find_all(tag, class_, **attrs)
        assert found, f"no <{tag or '*'}> with class={class_} {attrs}"
        return found[0]

    def by_id(self, element_id: str) -> "Element":
        return self.find(id=element_id)

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def links(self) -> list["Element"]:
        return self.find_all("a")

    def link_to(self, href: str) -> "Element":
        return self.find("a", href=href)


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current)
        self.current.children.append(element)
        if tag == "br":
            self.current.children.append(" ")
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.current = self.current.parent

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(content: bytes | str) -> Element:
    builder = _TreeBuilder()
    builder.feed(content.decode() if isinstance(content, bytes) else content)
    builder.close()
    return builder.root


def page(client, path: str) -> Element:
    """GET `path`, insist on 200, and return the parsed document."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return parse(response.content)
