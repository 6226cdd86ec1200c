"""What the pages compute without a browser: links to views, observables, buckets."""

from __future__ import annotations

import uuid

import pytest

from qdeck.analytics.service import histogram
from qdeck.jobs.status import JobStatus
from qdeck.ui.components.jobs_query import JobsQuery
from qdeck.ui.pages.submit import parse_observables
from qdeck.ui.session import safe_next


def test_a_jobs_view_survives_the_round_trip_through_its_link() -> None:
    query = JobsQuery(
        statuses=("failed", "cancelled"),
        backend="fake_kyiv",
        tag="noisy",
        text="bell",
        since="2026-01-01",
        until="2026-01-31",
        sort="name",
        descending=False,
        limit=100,
    )
    params = dict(pair.split("=") for pair in query.url().split("?")[1].split("&"))
    again = JobsQuery.from_params({k: v.replace("%2C", ",") for k, v in params.items()})
    assert again == query
    flt = again.job_filter(uuid.uuid4())
    assert flt.statuses == (JobStatus.FAILED, JobStatus.CANCELLED)
    assert flt.created_after.isoformat() == "2026-01-01T00:00:00+00:00"
    assert flt.created_before.isoformat() == "2026-02-01T00:00:00+00:00"  # the whole last day
    assert JobsQuery().url() == "/jobs"


def test_a_broken_link_is_read_as_far_as_it_makes_sense() -> None:
    query = JobsQuery.from_params(
        {
            "status": "queued,nonsense",
            "sort": "secret",
            "limit": "5000",
            "since": "yesterday",
            "project": "not-a-uuid",
        }
    )
    assert query.statuses == ("queued",)
    assert query.sort == "created_at" and query.limit == 50
    assert query.since == "" and query.project == ""
    assert len(query.problems) == 3


def test_observables_are_read_one_per_line() -> None:
    assert parse_observables("ZZ\n0.5*XX + 0.5*YY\n-1.5*IZ") == [
        [("ZZ", 1.0)],
        [("XX", 0.5), ("YY", 0.5)],
        [("IZ", -1.5)],
    ]
    with pytest.raises(ValueError, match="line 2"):
        parse_observables("ZZ\nhello")
    with pytest.raises(ValueError, match="at least one"):
        parse_observables("  ")


def test_run_times_fall_into_buckets() -> None:
    buckets = histogram([0.01, 0.2, 0.3, 4.0, 100.0, 999.0])
    assert [b.count for b in buckets] == [1, 2, 0, 1, 0, 1, 1]
    assert buckets[-1].label == "> 2 min"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/jobs?status=failed", "/jobs?status=failed"),
        ("//evil.example", "/dashboard"),
        ("https://evil.example", "/dashboard"),
        ("/\\evil", "/dashboard"),
        (None, "/dashboard"),
    ],
)
def test_after_log_in_you_only_go_to_pages_of_this_site(target, expected) -> None:
    assert safe_next(target) == expected
