"""Global search over what the user may see: agreements, services, standards and departures.

PostgreSQL: full-text search (English stemming, websearch syntax, ranked). Other databases
(SQLite in development): every word must appear in one of the fields (case-insensitive).
Each kind starts from the same selector as its page, so the object rules apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

from agreements import selectors as agreement_selectors
from agreements.models import Standard
from reporting import selectors as reporting_selectors
from services import selectors as service_selectors

MAX_QUERY_LENGTH = 200
PER_KIND = 20


@dataclass
class SearchResults:
    query: str
    agreements: list = field(default_factory=list)
    services: list = field(default_factory=list)
    standards: list = field(default_factory=list)
    departures: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.agreements) + len(self.services) + len(self.standards) + len(self.departures)


def full_text() -> bool:
    return connection.vendor == "postgresql"


def _match(qs: QuerySet, fields: list[str], query: str) -> QuerySet:
    if full_text():
        vector = SearchVector(*fields, config="english")
        search = SearchQuery(query, search_type="websearch", config="english")
        return (
            qs.annotate(search_document=vector, search_rank=SearchRank(vector, search))
            .filter(search_document=search)
            .order_by("-search_rank")
        )
    words = query.split()[:10]
    return qs.filter(reduce(and_, (reduce(or_, (Q(**{f"{f}__icontains": w}) for f in fields)) for w in words)))


def search(*, user, query: str) -> SearchResults:
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    results = SearchResults(query=query)
    if not query:
        return results
    results.agreements = list(
        _match(agreement_selectors.agreement_list(user=user), ["reference", "title"], query)[:PER_KIND]
    )
    results.services = list(
        _match(service_selectors.service_list(), ["name", "description", "department__name"], query)[:PER_KIND]
    )
    schedules = agreement_selectors.schedules_all(user=user)
    results.standards = list(
        _match(
            Standard.objects.filter(schedule__in=schedules.values("pk")).select_related(
                "schedule__agreement", "schedule__service"
            ),
            ["title", "deliverable", "schedule__service__name"],
            query,
        )[:PER_KIND]
    )
    results.departures = list(
        _match(
            reporting_selectors.departure_list(user=user),
            ["what_happened", "reason", "remedial_action", "owner", "result__standard__title"],
            query,
        )[:PER_KIND]
    )
    return results
