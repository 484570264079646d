"""Least privilege by scope: who may see which records and communities."""

from __future__ import annotations

from sqlalchemy import select

from app.models import Activity, Community, District, Incident, Region
from app.services.scope import (
    communities_in_scope,
    get_record_in_scope,
    record_scope,
    records_in_scope,
    region_ids_in_scope,
)


def _visible(db, user, model=Activity) -> set:
    return set(db.session.scalars(records_in_scope(model, user)))


def test_scope_by_role(db, make):
    osh_org = make.organisation("KG-O-KSU")
    osh_org2 = make.organisation("KG-O-ARV")
    sughd_org = make.organisation("TJ-SU-ISF")
    vol_osh, vol_osh2, vol_sughd = (
        make.user("volunteer", organisation=o) for o in (osh_org, osh_org2, sughd_org)
    )
    a_osh = make.activity(vol_osh)
    a_osh2 = make.activity(vol_osh2)
    a_sughd = make.activity(vol_sughd)
    i_sughd = make.incident(vol_sughd)

    assert _visible(db, vol_osh) == {a_osh}
    assert _visible(db, vol_sughd) == {a_sughd}
    assert _visible(db, make.user("coordinator", region="KG-O")) == {a_osh, a_osh2}
    assert _visible(db, make.user("coordinator", country="TJ")) == {a_sughd}
    assert _visible(db, make.user("coordinator", country="TJ"), Incident) == {i_sughd}
    assert _visible(db, make.user("coordinator", region="KG-J")) == set()
    assert _visible(db, make.user("admin")) == {a_osh, a_osh2, a_sughd}
    assert _visible(db, make.user("donor")) == set()
    assert _visible(db, make.user("volunteer", organisation=osh_org, active=False)) == set()


def test_get_record_in_scope_hides_other_scopes(db, make):
    vol = make.user("volunteer")
    other = make.user("volunteer")
    record = make.activity(vol)
    assert get_record_in_scope(db.session, Activity, record.uuid, vol) is record
    assert get_record_in_scope(db.session, Activity, record.uuid, other) is None
    assert get_record_in_scope(db.session, Activity, record.uuid, make.user("donor")) is None


def test_community_picker_scope(db, make):
    vol = make.user("volunteer", organisation=make.organisation("KG-O-KSU"))
    names = {c.district.code for c in communities_in_scope(db.session, vol)}
    assert names == {"KG-O-KSU"}
    coordinator = make.user("coordinator", region="TJ-SU")
    regions = {
        db.session.get(Region, db.session.get(District, c.district_id).region_id).code
        for c in communities_in_scope(db.session, coordinator)
    }
    assert regions == {"TJ-SU"}
    assert communities_in_scope(db.session, make.user("donor")) == []
    everything = db.session.scalars(select(Community.id)).all()
    assert len(communities_in_scope(db.session, make.user("admin"))) == len(everything)


def test_region_scope(db, make):
    kg = make.user("coordinator", country="KG")
    codes = set(db.session.scalars(select(Region.code).where(Region.id.in_(region_ids_in_scope(kg)))))
    assert codes and all(code.startswith("KG-") for code in codes)
    assert set(db.session.scalars(region_ids_in_scope(make.user("volunteer")))) == set()


def test_record_scope_is_false_for_anonymous(db):
    from flask_login import AnonymousUserMixin

    class Anonymous(AnonymousUserMixin):
        role = None
        active = False

    assert db.session.scalars(select(Activity).where(record_scope(Activity, Anonymous()))).all() == []
