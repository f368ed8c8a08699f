"""Reads of children: search before registering, so one child has one record."""

import datetime as dt

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import F, FloatField, Q, QuerySet, Value
from django.db.models.expressions import CombinedExpression

from qorgau.access import children_visible_to
from qorgau.accounts.models import User
from qorgau.audit import log as audit
from qorgau.audit.models import Action, RecordKind
from qorgau.children.models import Child
from qorgau.children.names import fold_name
from qorgau.paging import Page, page_of
from qorgau.protection.keys import iin_hashes


def matching_names(children: QuerySet[Child], words: list[str]) -> QuerySet[Child]:
    """Every word in the folded name, as typed."""
    for word in words:
        children = children.filter(search_key__contains=word)
    return children.order_by("last_name", "first_name", "pk")


def nearly_matching_names(children: QuerySet[Child], words: list[str]) -> QuerySet[Child]:
    """Every word in the folded name or spelled nearly so, best first (PostgreSQL).

    Both are found through the trigram index on `search_key`: a word within
    `pg_trgm.word_similarity_threshold` (set for the app's connections) is a match, so
    "Ержанова" finds "Ержанава".
    """
    rank: CombinedExpression | Value = Value(0.0, FloatField())
    for word in words:
        children = children.filter(
            Q(search_key__contains=word) | Q(TrigramWordSimilar(F("search_key"), Value(word)))
        )
        rank = rank + TrigramWordSimilarity(word, "search_key")
    return children.annotate(rank=rank).order_by(F("rank").desc(), "last_name", "first_name", "pk")


def child_search(
    *,
    actor: User,
    text: str = "",
    birth_date: dt.date | None = None,
    page: int = 1,
    limit: int | None = None,
) -> Page[Child]:
    """Children visible to `actor` matching an IIN, or name words and a date of birth.

    Twelve digits are an exact IIN lookup. Otherwise every name word must appear in
    the folded name, in any order and any script. One page of `limit` results
    (paging.PAGE_SIZE unless given). Each search is written to the access log with the
    page's result count and a keyed hash of the query, never its text.
    """
    children = children_visible_to(actor).select_related("place")
    text = text.strip()
    words = fold_name(text).split()
    if text.isdigit() and len(text) == 12:
        # The IIN is stored encrypted: it is found by its keyed hash (any current key).
        found = children.filter(iin_hash__in=iin_hashes(text)).order_by("pk")
    elif not words and birth_date is None:
        return page_of([], number=1, size=limit)
    else:
        if birth_date is not None:
            children = children.filter(birth_date=birth_date)
        found = matching_names(children, words)
    results = page_of(found, number=page, size=limit)
    if words and connection.vendor == "postgresql":
        # Near spellings only when the words as typed do not fill one page: a near
        # match of a common surname ("-ова") is a hundred thousand children nationwide.
        first = results if page == 1 else page_of(found, number=1, size=limit)
        if len(first) < first.size:
            results = page_of(nearly_matching_names(children, words), number=page, size=limit)
    audit.record(
        actor=actor,
        action=Action.SEARCH,
        kind=RecordKind.CHILD,
        query=(" ".join(words) or text, birth_date),
        result_count=len(results),
    )
    return results
