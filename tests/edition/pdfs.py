"""Read a PDF as a reader's software does: outline, links, text and where it stands."""

import io
import re
from dataclasses import dataclass
from functools import cached_property

from pypdf import PdfReader
from pypdf.generic import ArrayObject, IndirectObject


@dataclass(frozen=True)
class Run:
    text: str
    x: float
    y: float


@dataclass(frozen=True)
class Link:
    page: int
    rect: tuple[float, float, float, float]
    uri: str | None = None
    target_page: int | None = None
    target_y: float | None = None


@dataclass(frozen=True)
class Bookmark:
    title: str
    depth: int
    page: int


class Pdf:
    def __init__(self, content: bytes):
        self.reader = PdfReader(io.BytesIO(content))
        self.root = self.reader.trailer["/Root"]
        self._runs: dict[int, list[Run]] = {}
        self._page_numbers = {
            page.indirect_reference.idnum: number for number, page in enumerate(self.reader.pages)
        }

    @cached_property
    def bookmarks(self) -> list[Bookmark]:
        found = []

        def walk(items, depth):
            for item in items:
                if isinstance(item, list):
                    walk(item, depth + 1)
                else:
                    page = self.reader.get_destination_page_number(item)
                    found.append(Bookmark(str(item.title), depth, page))

        walk(self.reader.outline, 0)
        return found

    @cached_property
    def links(self) -> list[Link]:
        found = []
        for number, page in enumerate(self.reader.pages):
            for ref in page.get("/Annots", []):
                annotation = ref.get_object()
                if annotation.get("/Subtype") != "/Link":
                    continue
                rect = tuple(float(v) for v in annotation["/Rect"])
                action = annotation.get("/A")
                if action is not None and action.get("/S") == "/URI":
                    found.append(Link(number, rect, uri=str(action["/URI"])))
                    continue
                destination = annotation.get("/Dest")
                if destination is None and action is not None:
                    destination = action.get("/D")
                page_number, y = self._resolve(destination)
                found.append(Link(number, rect, target_page=page_number, target_y=y))
        return found

    def _resolve(self, destination):
        if isinstance(destination, IndirectObject):
            destination = destination.get_object()
        if not isinstance(destination, ArrayObject):
            destination = self.reader.named_destinations[str(destination)]
            return self.reader.get_destination_page_number(destination), destination.top
        target = destination[0]
        if isinstance(target, IndirectObject):
            return self._page_numbers[target.idnum], float(destination[3])
        return int(target), float(destination[3])

    def runs(self, number: int) -> list[Run]:
        if number in self._runs:
            return self._runs[number]
        found = self._runs[number] = []

        def visit(text, cm, tm, font, size):
            if text.strip():
                found.append(Run(text, float(cm[4]), float(cm[5])))

        self.reader.pages[number].extract_text(visitor_text=visit)
        return found

    def text(self, number: int) -> str:
        # Runs of one line join as they are; a new line is a space.
        parts, previous = [], None
        for run in self.runs(number):
            if previous is not None and abs(run.y - previous.y) > 1:
                parts.append(" ")
            parts.append(run.text)
            previous = run
        return re.sub(r"\s+", " ", "".join(parts))

    def full_text(self) -> str:
        return "\n".join(self.text(n) for n in range(len(self.reader.pages)))

    def text_under(self, link: Link) -> str:
        """The words a link covers on its page."""
        x0, y0, x1, y1 = link.rect
        return "".join(
            r.text
            for r in self.runs(link.page)
            if x0 - 0.5 <= r.x < x1 - 0.5 and y0 - 1 <= r.y <= y1 + 1
        ).strip()

    def line_at_target(self, link: Link) -> str:
        """The first line of text wholly below the point where an internal link lands."""
        # A run's y is its baseline: a line whose baseline is less than a
        # cap height below the landing point is cut off at the top of the view.
        low, high = link.target_y - 30, link.target_y - 6
        runs = [r for r in self.runs(link.target_page) if low <= r.y <= high]
        if not runs:
            return ""
        top = max(r.y for r in runs)
        return "".join(r.text for r in runs if abs(r.y - top) < 1).strip()

    def pages_with(self, words: str) -> list[int]:
        return [n for n in range(len(self.reader.pages)) if words in self.text(n)]
