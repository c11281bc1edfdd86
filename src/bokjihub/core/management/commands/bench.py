"""`bokjihub bench search --json`: latency of household search over the demo Si/Gun/Gu.

Runs the real access function (scope, filter, pagination, access-log write) as the Gu
case manager, whose jurisdiction is the whole Gu (the widest, slowest scope), over a mix
of name prefixes, full names, birth-date parts and addresses drawn from the data.
"""

import json
import random
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from bokjihub.orgs.actors import actor_for
from bokjihub.orgs.models import Membership, OrganisationKind, Role
from bokjihub.people.access import HouseholdSearch, access_household_search
from bokjihub.people.models import Person


def _queries(rng: random.Random, count: int) -> list[str]:
    sample = list(
        Person.objects.order_by("?").values_list("name", "rrn_front", "household__road_address")[
            : max(count, 50)
        ]
    )
    if not sample:
        raise CommandError("검색할 데이터가 없습니다. 먼저 `bokjihub demo`를 실행하세요.")
    queries = []
    for index in range(count):
        name, front, address = sample[index % len(sample)]
        kind = index % 4
        if kind == 0:
            queries.append(name[:2])  # surname + first syllable: many matches
        elif kind == 1:
            queries.append(name)
        elif kind == 2:
            queries.append(front)
        else:
            queries.append(" ".join(address.split(" ")[2:4]))  # road and number
    rng.shuffle(queries)
    return queries


class Command(BaseCommand):
    help = "Benchmarks that print JSON."

    def add_arguments(self, parser):
        parser.add_argument("target", choices=["search"])
        parser.add_argument("--iterations", type=int, default=200)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--json", action="store_true", help="print one JSON object (the default output)"
        )

    def handle(self, *args, target: str, iterations: int, seed: int, **options):
        membership = (
            Membership.objects.filter(
                role=Role.CASE_MANAGER,
                organisation__kind=OrganisationKind.SIGUNGU_OFFICE,
                ended_on__isnull=True,
            )
            .select_related("user")
            .first()
        )
        if membership is None:
            raise CommandError(
                "시·군·구 통합사례관리사 계정이 없습니다. 먼저 `bokjihub demo`를 실행하세요."
            )
        actor = actor_for(user=membership.user, membership_id=membership.id, ip_address="127.0.0.1")
        rng = random.Random(seed)  # noqa: S311 - reproducible benchmark queries
        queries = _queries(rng, iterations)
        timings, hits = [], 0
        warm_up = queries[:10]
        # The access-log writes are part of what we measure, but the benchmark's rows are
        # not real accesses: roll them back so the audit trail holds only people's reads.
        with transaction.atomic():
            for text in warm_up:  # caches and connections
                list(
                    access_household_search(
                        actor=actor, search=HouseholdSearch(text=text)
                    ).object_list
                )
            for text in queries:
                started = time.perf_counter()
                page = access_household_search(actor=actor, search=HouseholdSearch(text=text))
                hits += len(page.object_list)
                timings.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
        timings.sort()
        result = {
            "benchmark": "household_search",
            "database": connection.vendor,
            "persons": Person.objects.count(),
            "iterations": len(timings),
            "results_per_query_mean": round(hits / len(timings), 1),
            "p50_ms": round(statistics.median(timings), 2),
            "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
            "max_ms": round(timings[-1], 2),
            "target_p95_ms": 100,
        }
        self.stdout.write(json.dumps(result, ensure_ascii=False))
