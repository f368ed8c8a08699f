"""One page of a list that can grow, without counting the whole list.

`page_of` reads one row more than the page holds: that row says whether there is a
next page, so no list costs a COUNT(*) over everything the user may see. Pages show
"Page 3" and previous/next links (`web/_pager.html`), never "of 40 000". Several lists
on one page each get their own parameter (`?cases=2&approvals=1`).
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest

T = TypeVar("T")

PAGE_SIZE = 25


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    number: int
    size: int
    has_next: bool
    param: str = "page"
    query: str = ""  # the request's other parameters, to keep in the links

    def __iter__(self) -> Iterator[T]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def first_row(self) -> int:
        """The place of the page's first row in the whole list, from 1."""
        return (self.number - 1) * self.size + 1

    @property
    def counted(self) -> str:
        """How many rows the list has as far as this page: "25+" while more follow."""
        seen = self.first_row - 1 + len(self.rows)
        return f"{seen}+" if self.has_next else str(seen)

    def _url(self, number: int) -> str:
        prefix = f"{self.query}&" if self.query else ""
        return f"?{prefix}{self.param}={number}"

    @property
    def previous_url(self) -> str:
        return self._url(self.number - 1)

    @property
    def next_url(self) -> str:
        return self._url(self.number + 1)

    def linked_to(self, request: HttpRequest) -> "Page[T]":
        """The same page, its links keeping the request's other parameters."""
        others = request.GET.copy()
        others.pop(self.param, None)
        return replace(self, query=others.urlencode())


def page_number(value: object) -> int:
    """A page number from a request parameter; anything but 1, 2, 3... is page 1."""
    text = str(value) if value is not None else ""
    if text.isascii() and text.isdigit() and 0 < len(text) < 7:
        return max(int(text), 1)
    return 1


def rows_through(number: int, size: int | None = None) -> int:
    """How many rows of a list `page_of` reads for page `number`: the pages up to it
    and the one row that says whether another follows."""
    return number * (size or PAGE_SIZE) + 1


def page_of(
    rows: QuerySet[Any] | Sequence[Any],
    request: HttpRequest | None = None,
    *,
    param: str = "page",
    size: int | None = None,
    number: int | None = None,
) -> Page[Any]:
    """The page the request asks for with `param` (or page `number`), of `size` rows."""
    size = size or PAGE_SIZE
    if number is None:
        number = page_number(request.GET.get(param) if request is not None else None)
    start = (number - 1) * size
    found = list(rows[start : rows_through(number, size)])
    page: Page[Any] = Page(found[:size], number, size, len(found) > size, param)
    return page.linked_to(request) if request is not None else page
