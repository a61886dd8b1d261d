"""The declared transition table, move by move: every legal move passes, every other one writes nothing."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from truestyle.accounts.roles import Role
from truestyle.accounts.tests.factories import user_create
from truestyle.core.errors import StoreError
from truestyle.orders.tests.factories import customer_create, staff_create
from truestyle.returns.models import ReturnEvent, ReturnLineTally, ReturnRequest
from truestyle.returns.services import return_transition
from truestyle.returns.statuses import TRANSITIONS, Actor, ReturnStatus, next_statuses_for
from truestyle.returns.tests.factories import delivered_order, request_for, returns_staff_create

ALL = list(ReturnStatus.values)
NOTES = {"rejected": "Outside our policy"}
INSPECTIONS = {"received": "damaged"}


@pytest.fixture
def setting(db):
    """A delivered cash order of 2 shirts, its customer, a returns agent and a bystander of each kind."""
    order, user = delivered_order()
    return {
        "order": order,
        Actor.CUSTOMER: user,
        Actor.STAFF: returns_staff_create(),
        "other_customer": customer_create(email="other@example.com")[0],
        "content_editor": _content_editor(),
    }


def _content_editor():
    """Staff, but without manage_returns."""
    user = user_create(email="writer@example.com", name="Content Writer")
    user.groups.add(Group.objects.get(name=Role.CONTENT_EDITOR))
    return user


def _request_in(setting, status: str) -> ReturnRequest:
    """A fresh request put straight into `status` (the moves into it are tested on their own)."""
    order, user = setting["order"], setting[Actor.CUSTOMER]
    ReturnRequest.objects.all().delete()
    ReturnEvent.objects.all().delete()
    ReturnLineTally.objects.all().delete()
    request = request_for(order, user)
    inspection = "sellable" if status in ("received", "completed") else ""
    ReturnRequest.objects.filter(pk=request.pk).update(status=status, inspection=inspection)
    ReturnEvent.objects.all().delete()
    mail.outbox.clear()
    return ReturnRequest.objects.get(pk=request.pk)


def test_the_table_is_the_documented_workflow():
    assert {s: {to: set(roles) for to, roles in moves.items()} for s, moves in TRANSITIONS.items()} == {
        "requested": {"approved": {"staff"}, "rejected": {"staff"}, "cancelled": {"customer"}},
        "approved": {"picked_up": {"staff"}, "cancelled": {"customer"}},
        "picked_up": {"received": {"staff"}},
        "received": {"completed": {"staff"}},
        "rejected": {}, "completed": {}, "cancelled": {},
    }
    assert next_statuses_for("requested", Actor.CUSTOMER) == ["cancelled"]
    assert next_statuses_for("approved", Actor.STAFF) == ["picked_up"]


def test_every_legal_move_is_made_recorded_and_mailed(setting):
    legal = [(frm, to, role) for frm, moves in TRANSITIONS.items() for to, roles in moves.items() for role in roles]
    assert len(legal) == 7
    for frm, to, role in legal:
        request = _request_in(setting, frm)
        actor = setting[role]

        moved = return_transition(request=request, to=to, actor=actor, note=NOTES.get(to, ""),
                                  inspection=INSPECTIONS.get(to, ""))

        assert moved.status == to, (frm, to, role)
        event = ReturnEvent.objects.get(request=request)
        assert (event.from_status, event.to_status, event.actor_id) == (frm, to, str(actor.pk)), (frm, to)
        assert len(mail.outbox) == 1 and request.number in mail.outbox[0].subject, (frm, to)
        assert mail.outbox[0].to == [setting[Actor.CUSTOMER].email]


def test_every_illegal_move_is_refused_and_writes_nothing(setting):
    actors = {name: setting[name] for name in (Actor.CUSTOMER, Actor.STAFF, "other_customer",
                                               "content_editor")}
    checked = 0
    for frm in ALL:
        request = _request_in(setting, frm)
        for to in ALL:
            for name, actor in actors.items():
                if to in TRANSITIONS[frm] and name in TRANSITIONS[frm][to]:
                    continue
                with pytest.raises(StoreError) as refusal:
                    return_transition(request=request, to=to, actor=actor, note=NOTES.get(to, ""),
                                      inspection=INSPECTIONS.get(to, ""))
                expected = "not_allowed" if to in TRANSITIONS[frm] else "invalid_transition"
                assert refusal.value.code == expected, (frm, to, name)
                checked += 1
        assert ReturnRequest.objects.get(pk=request.pk).status == frm
        assert ReturnEvent.objects.count() == 0
        assert mail.outbox == []
    assert checked == len(ALL) * len(ALL) * len(actors) - 7


def test_an_order_manager_may_handle_returns(setting):
    request = _request_in(setting, "requested")

    moved = return_transition(request=request, to="approved", actor=staff_create(email="om@example.com"))

    assert moved.status == "approved"


def test_rejecting_needs_a_reason_and_receiving_an_inspection(setting):
    staff = setting[Actor.STAFF]
    request = _request_in(setting, "requested")
    with pytest.raises(StoreError) as refusal:
        return_transition(request=request, to="rejected", actor=staff, note="  ")
    assert refusal.value.code == "rejection_reason_required"

    request = _request_in(setting, "picked_up")
    for inspection in ("", "lost"):
        with pytest.raises(StoreError) as refusal:
            return_transition(request=request, to="received", actor=staff, inspection=inspection)
        assert refusal.value.code == "inspection_required"
    assert ReturnEvent.objects.count() == 0
    assert ReturnRequest.objects.get(pk=request.pk).status == "picked_up"

    moved = return_transition(request=request, to="received", actor=staff, inspection="sellable")
    assert (moved.status, moved.inspection) == ("received", "sellable")


def test_a_stale_request_loses_to_the_move_made_meanwhile(setting):
    request = _request_in(setting, "requested")
    return_transition(request=request, to="approved", actor=setting[Actor.STAFF])

    # `request` is an old copy that still says "requested", where rejecting is allowed: only the
    # conditional update on the status can notice that the request moved meanwhile.
    with pytest.raises(StoreError) as refusal:
        return_transition(request=request, to="rejected", actor=setting[Actor.STAFF], note="Late")

    assert refusal.value.code == "return_changed"
    assert ReturnRequest.objects.get(pk=request.pk).status == "approved"
    assert list(ReturnEvent.objects.values_list("to_status", flat=True)) == ["approved"]


def test_the_whole_way_is_recorded_with_who_and_when(setting):
    order, user, staff = setting["order"], setting[Actor.CUSTOMER], setting[Actor.STAFF]
    request = request_for(order, user)
    for to, extra in (("approved", {}), ("picked_up", {}), ("received", {"inspection": "sellable"}),
                      ("completed", {})):
        request = return_transition(request=request, to=to, actor=staff, **extra)

    events = list(ReturnEvent.objects.filter(request=request).order_by("created_at"))
    assert [(e.from_status, e.to_status, e.actor_id) for e in events] == [
        ("", "requested", str(user.pk)), ("requested", "approved", str(staff.pk)),
        ("approved", "picked_up", str(staff.pk)), ("picked_up", "received", str(staff.pk)),
        ("received", "completed", str(staff.pk))]
    assert all(earlier.created_at <= later.created_at for earlier, later in zip(events, events[1:]))
    assert events[-1].note == "1 back in stock; Refund of ₹1499.00 issued"
    assert [m.subject for m in mail.outbox] == [
        f"TrueStyle: We received your return request {request.number}",
        f"TrueStyle: Your return request {request.number} is approved",
        f"TrueStyle: Your return {request.number} was picked up",
        f"TrueStyle: We received the item of your return {request.number}",
        f"TrueStyle: Your return {request.number} is complete",
    ]
    assert "A refund of ₹1499.00 has been issued by bank transfer." in mail.outbox[-1].body
