"""SQL aggregates against numbers worked out independently from the records the test made."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.models import Community, District, Region
from reports import queries as q
from reports import rows as record_rows
from reports.cellkey import community_key
from reports.filters import DONOR_STATUSES, Audience, FilterError, resolve_filters
from reports.queries import CELLS

from . import report_data
from .report_data import PERIOD


@pytest.fixture
def known(make, db):
    return report_data.build(make, db)


def _filters(db, **kwargs):
    return resolve_filters(db.session, **{**PERIOD, **kwargs})


def _rec_codes(activity):
    return {r.code for r in activity.recommendations}


def test_per_recommendation_matches_the_records(known, db):
    rows = {row.code: row for row in q.by_recommendation(db.session, _filters(db, audience="coordinator"))}
    assert [code for code in rows] == [f"R{n}" for n in range(1, 15)]
    for code in ("R6", "R7", "R8", "R1"):
        mine = [a for a in known.activities if code in _rec_codes(a)]
        assert rows[code].activities == len(mine)
        assert rows[code].cells == tuple(sum(getattr(a, c) for a in mine) for c in CELLS)
        assert rows[code].communities == len({a.community_id for a in mine})
    assert rows["R6"].top_groups[0][:2] == ("youth", 2)
    assert rows["R6"].key == 0  # coordinators' figures are exact: no keys summed


def test_drafts_returned_and_out_of_period_records_never_count(known, db):
    totals = q.activity_totals(db.session, _filters(db, audience="coordinator"))
    assert totals.activities == len(known.activities) == 5
    assert totals.participants == sum(a.people_total for a in known.activities)
    for status in ("draft", "returned"):
        with pytest.raises(FilterError):
            _filters(db, audience="coordinator", status=status)


def test_status_filter_for_coordinators(known, db):
    approved = q.activity_totals(db.session, _filters(db, audience="coordinator", status="approved"))
    assert approved.activities == sum(a.status == "approved" for a in known.activities)


def test_donors_count_approved_records_only(known, db):
    assert set(DONOR_STATUSES) == {"approved"}
    approved = [a for a in known.activities if a.status == "approved"]
    donor = q.activity_totals(db.session, _filters(db, audience="donor"))
    assert donor.activities == len(approved) < len(known.activities)
    assert donor.key == sum(a.record_key for a in approved)
    with pytest.raises(FilterError) as error:
        _filters(db, audience="donor", status="submitted")
    assert error.value.field == "status"
    assert "approved records only" in str(error.value)


def test_target_groups_and_months(known, db):
    filters = _filters(db, audience="coordinator")
    groups = {row.code: row for row in q.by_target_group(db.session, filters)}
    youth = [a for a in known.activities if "youth" in {g.code for g in a.target_groups}]
    assert groups["youth"].activities == len(youth)
    assert groups["youth"].participants == sum(a.people_total for a in youth)
    months = {month: n for month, n, _key in q.activities_by_month(db.session, filters)}
    assert list(months) == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    for month, n in months.items():
        assert n == sum(a.date.strftime("%Y-%m") == month for a in known.activities)


def test_incidents_by_category_month_region_severity_status(known, db):
    filters = _filters(db, audience="coordinator")
    cube = q.incident_cube(db.session, filters)
    assert sum(entry[3] for entry in cube) == len(known.incidents)
    assert ("online_content", "2025-02", "KG-O", 2, 0) in cube
    assert ("departure_abroad", "2025-03", "TJ-SU", 1, 0) in cube
    severity = q.incidents_by(db.session, filters, "severity")
    assert {value: n for value, (n, _key) in severity.items()} == {"low": 1, "medium": 1, "high": 2}
    assert q.incidents_by(db.session, filters, "incident_status") == {"open": (4, 0)}


def test_donor_counts_carry_the_sum_of_their_record_keys(known, db):
    """Every donor count comes with the sum of the keys of the (approved) records it counts."""
    filters = _filters(db, audience="donor")
    activities = [a for a in known.activities if a.status == "approved"]
    incidents = [i for i in known.incidents if i.status == "approved"]

    def keys(records):
        return sum(r.record_key for r in records)

    rows = {row.code: row for row in q.by_recommendation(db.session, filters)}
    for code in ("R6", "R7", "R8", "R1"):
        mine = [a for a in activities if code in _rec_codes(a)]
        assert (rows[code].activities, rows[code].key) == (len(mine), keys(mine))
    assert [
        (r.code, r.activities, r.key) for r in q.recommendation_counts(db.session, filters, selected=2)
    ] == [(r.code, r.activities, r.key) for r in rows.values()]
    for month, n, key in q.activities_by_month(db.session, filters):
        mine = [a for a in activities if a.date.strftime("%Y-%m") == month]
        assert (n, key) == (len(mine), keys(mine))
    totals = q.activity_totals(db.session, filters)
    assert (totals.activities, totals.key) == (len(activities), keys(activities))
    assert totals.communities_key == sum(community_key(c) for c in {a.community_id for a in activities})
    cube = q.incident_cube(db.session, filters)
    assert sorted(entry[3:] for entry in cube) == sorted((1, i.record_key) for i in incidents)
    assert q.incidents_by(db.session, filters, "incident_status") == {
        "open": (len(incidents), keys(incidents))
    }
    assert q.record_counts(db.session, filters)["incidents"] == (len(incidents), keys(incidents))
    data = q.dashboard_aggregates(db.session, filters)
    assert data.totals == totals
    assert data.monthly == q.activities_by_month(db.session, filters)


def test_driver_means_and_change_against_the_previous_period(known, db):
    matrix = q.driver_matrix(db.session, _filters(db, audience="coordinator"))
    cell = matrix["KG-O"]["unemployment"]
    assert (cell.mean, cell.assessments) == (2.5, 2)
    assert (cell.previous_mean, cell.previous_assessments) == (1.0, 1)
    assert cell.change == 1.5
    assert matrix["KG-O"]["injustice"].change == pytest.approx(-0.5)
    assert matrix["KG-O"]["corruption"].mean is None


def test_coverage_per_region(known, db):
    rows = {row.code: row for row in q.coverage_by_region(db.session, _filters(db, audience="coordinator"))}
    osh_total = db.session.scalar(
        select(func.count(Community.id))
        .join(District, District.id == Community.district_id)
        .join(Region, Region.id == District.region_id)
        .where(Region.code == "KG-O")
    )
    assert (rows["KG-O"].reached, rows["KG-O"].communities) == (2, osh_total)
    assert rows["TJ-SU"].reached == 1
    assert rows["KG-C"].reached == 0


def test_place_filters_narrow_everything(known, db):
    filters = _filters(db, audience="coordinator", region="KG-O")
    assert q.activity_totals(db.session, filters).activities == 3
    assert {code for code in (r.code for r in q.coverage_by_region(db.session, filters))} == {"KG-O"}
    district = _filters(db, audience="coordinator", district="KG-O-ARV")
    assert q.activity_totals(db.session, district).activities == 1
    assert q.activity_totals(db.session, _filters(db, audience="coordinator", country="TJ")).activities == 2


def test_a_coordinator_is_kept_to_their_area(known, make, db):
    coordinator = make.user("coordinator", region="KG-O")
    filters = _filters(db, viewer=coordinator)
    assert filters.audience == Audience.COORDINATOR
    assert q.activity_totals(db.session, filters).activities == 3
    rows = list(record_rows.activity_rows(db.session, filters))
    assert {row[2] for row in rows} == {"Osh Region"}
    with pytest.raises(FilterError) as error:
        _filters(db, viewer=coordinator, region="TJ-SU")
    assert error.value.http_status == 403
    with pytest.raises(FilterError):
        _filters(db, viewer=coordinator, country="TJ")


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"region": "XX-9"}, "region", "Unknown region code: XX-9."),
        ({"country": "ZZ"}, "country", "Unknown country code: ZZ."),
        ({"country": "TJ", "region": "KG-O"}, "region", "Region KG-O is not in country TJ."),
        (
            {"region": "KG-O", "district": "TJ-SU-PNJ"},
            "district",
            "District TJ-SU-PNJ is not in region KG-O.",
        ),
        ({"date_from": date(2025, 7, 1), "date_to": date(2025, 1, 1)}, "date_from", "after the end date"),
        ({"status": "lost"}, "status", "Unknown status: lost."),
        ({"audience": "public"}, "audience", "Unknown audience: public."),
    ],
)
def test_bad_filters_say_what_is_wrong(db, kwargs, field, message):
    with pytest.raises(FilterError) as error:
        resolve_filters(db.session, **{**PERIOD, **kwargs})
    assert error.value.field == field
    assert message in str(error.value)


def test_donors_never_get_rows(known, make, db):
    donor = make.user("donor")
    filters = _filters(db, viewer=donor)
    assert filters.audience == Audience.DONOR
    with pytest.raises(PermissionError):
        next(record_rows.activity_rows(db.session, filters))
    with pytest.raises(FilterError):
        _filters(db, viewer=donor, audience="coordinator")


def test_month_bucket_and_previous_period():
    filters = q.ReportFilters(date_from=date(2025, 1, 1), date_to=date(2025, 3, 31), audience="coordinator")
    previous = filters.previous()
    assert (previous.date_from, previous.date_to) == (date(2024, 10, 3), date(2024, 12, 31))  # 90 days each
    donor = q.ReportFilters(date_from=date(2025, 1, 1), date_to=date(2025, 3, 31), audience="donor")
    assert (donor.previous().date_from, donor.previous().date_to) == (date(2024, 10, 1), date(2024, 12, 31))
    assert q.months_between(date(2024, 11, 15), date(2025, 2, 1)) == [
        "2024-11",
        "2024-12",
        "2025-01",
        "2025-02",
    ]


def test_dashboard_aggregates_agree_with_the_single_queries(known, db):
    filters = _filters(db, audience="coordinator")
    data = q.dashboard_aggregates(db.session, filters)
    assert data.totals == q.activity_totals(db.session, filters)
    assert data.monthly == q.activities_by_month(db.session, filters)
    assert data.coverage == q.coverage_by_region(db.session, filters)
    assert [(r.code, r.activities) for r in data.recommendations] == [
        (r.code, r.activities) for r in q.by_recommendation(db.session, filters)
    ]
    assert data.incidents == q.incident_cube(db.session, filters)


def test_areas_given_as_statements_are_never_confused(known, db):
    """Report sources are built once per set of filters; filters that differ only in the area
    statement (two programmes' areas, or none) compare equal, and must still count apart."""
    from dataclasses import replace

    from reports.sources import source

    everywhere = _filters(db, audience="coordinator")
    osh = select(Community.id).join(District).join(Region).where(Region.code == "KG-O")
    tajikistan = select(Community.id).join(District).join(Region).where(Region.code.like("TJ-%"))
    in_osh, in_tajikistan = replace(everywhere, places=osh), replace(everywhere, places=tajikistan)
    assert in_osh == in_tajikistan == everywhere  # the statement is not compared
    counts = [
        q.activity_totals(db.session, f).activities for f in (in_osh, in_tajikistan, everywhere, in_osh)
    ]
    assert counts == [3, 2, 5, 3]
    assert source(q.facts.ACTIVITIES, in_osh) is source(q.facts.ACTIVITIES, in_osh)  # built once


def test_a_place_and_scope_asked_again_give_the_same_statement(known, make, db):
    """So that the report sources of a coordinator's next request are reused, not built again;
    another place gives its own statement and its own figures."""
    coordinator = make.user("coordinator", region="KG-O")
    first, again = _filters(db, viewer=coordinator), _filters(db, viewer=coordinator)
    assert first.places is again.places
    district = _filters(db, viewer=coordinator, district="KG-O-ARV")
    assert district.places is not first.places
    assert [q.activity_totals(db.session, f).activities for f in (first, district, again)] == [3, 1, 3]
