"""Absences and substitutes ("ersättare"): during an absence the substitute takes the
assignments, may moderate the channel and gets the mails; a channel whose daily operators are
all away without one is flagged to Informationsenheten."""

import pytest
from django.core.exceptions import ValidationError

from atvida_social.dashboard import sections_for
from atvida_social.organisation.exceptions import PermissionDeniedError
from channels.flags import annotate_flags, filter_by_flag
from channels.models import Channel
from moderation import selectors, services
from moderation.models import Absence
from moderation.services import supervision
from tests.factories import UserFactory

from .conftest import at, register

pytestmark = pytest.mark.django_db

MONDAY, FRIDAY = "2026-03-23 08:00", "2026-03-27 17:00"


def _away(operator, substitute=None, *, by=None, starts=MONDAY, ends=FRIDAY):
    return supervision.register_absence(
        operator, by=by or operator, starts_at=at(starts), ends_at=at(ends), substitute=substitute
    )


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as raised:
        call()
    return raised.value.message_dict


def test_the_operator_registers_an_absence_with_a_colleague_as_substitute(dora, dagny):
    absence = _away(dora, dagny)

    assert (absence.operator, absence.substitute, absence.created_by) == (dora, dagny, dora)


def test_the_manager_and_informationsenheten_may_register_it_for_the_operator(
    dora, dagny, bob, ingrid
):
    _away(dora, dagny, by=bob)
    _away(dora, dagny, by=ingrid, starts="2026-04-06 08:00", ends="2026-04-10 17:00")

    assert Absence.objects.count() == 2


def test_a_colleague_without_the_manager_role_may_not(dora, dagny, kim):
    with pytest.raises(PermissionDeniedError):
        _away(dora, dagny, by=kim)
    assert not Absence.objects.exists()


def test_the_substitute_must_work_in_the_same_unit(dora, carol):
    assert "substitute" in _errors(lambda: _away(dora, carol))


def test_the_absence_must_end_after_it_starts(dora, dagny):
    errors = _errors(lambda: _away(dora, dagny, starts=FRIDAY, ends=MONDAY))

    assert errors["ends_at"] == ["Frånvaron ska sluta efter att den börjar."]


def test_the_substitute_may_not_be_away_at_the_time(dora, dagny, alice):
    _away(dagny, alice, starts="2026-03-26 08:00", ends="2026-03-31 17:00")

    errors = _errors(lambda: _away(dora, dagny))

    assert errors["substitute"] == [f"{dagny} är själv frånvarande under den tiden."]


def test_two_absences_of_one_person_may_not_overlap(dora, dagny):
    _away(dora, dagny)

    errors = _errors(lambda: _away(dora, dagny, starts="2026-03-27 08:00", ends="2026-04-03 17:00"))

    assert "starts_at" in errors
    assert Absence.objects.count() == 1


def test_the_substitute_may_moderate_the_channel_only_during_the_absence(
    channel, dora, dagny, travel
):
    _away(dora, dagny)

    travel("2026-03-22 23:59")
    assert not selectors.may_moderate(dagny, channel)
    travel("2026-03-24 10:00")
    assert selectors.may_moderate(dagny, channel)
    assert dagny in selectors.moderators_of(channel)
    travel("2026-03-27 17:00")
    assert not selectors.may_moderate(dagny, channel)
    assert dagny not in selectors.moderators_of(channel)


def test_the_absent_operator_still_moderates_the_channel(channel, dora, dagny, travel):
    _away(dora, dagny)
    travel("2026-03-24 10:00")

    assert selectors.may_moderate(dora, channel)


def test_an_item_assigned_to_someone_away_goes_to_the_substitute(
    channel, dora, dagny, alice, travel
):
    _away(dora, dagny)
    travel("2026-03-24 10:00")
    item = register(channel, "2026-03-24 09:00")

    assigned = services.assign_item(item, by=alice, to=dora)

    assert assigned.assigned_to == dagny


def test_an_item_forwarded_to_someone_away_goes_to_the_substitute(
    channel, dora, dagny, alice, travel
):
    _away(dora, dagny)
    travel("2026-03-24 10:00")
    item = register(channel, "2026-03-24 09:00")

    decision = services.decide_item(item, by=alice, kind="forward", forwarded_to=dora)

    item.refresh_from_db()
    assert (decision.forwarded_to, item.assigned_to) == (dagny, dagny)


def test_no_assignment_to_someone_away_without_a_substitute(channel, dora, alice, travel):
    _away(dora)
    travel("2026-03-24 10:00")
    item = register(channel, "2026-03-24 09:00")

    errors = _errors(lambda: services.assign_item(item, by=alice, to=dora))

    assert errors["assigned_to"] == [f"{dora} är frånvarande och har ingen ersättare."]


def test_after_the_absence_assignments_go_to_the_operator_again(
    channel, dora, dagny, alice, travel
):
    _away(dora, dagny)
    travel("2026-03-30 10:00")
    item = register(channel, "2026-03-30 09:00")

    assert services.assign_item(item, by=alice, to=dora).assigned_to == dora


def _flagged() -> list[Channel]:
    return list(filter_by_flag(annotate_flags(Channel.objects.all()), "utan-bevakning"))


def test_a_channel_whose_operators_are_all_away_without_substitute_is_flagged(
    channel, dora, travel
):
    _away(dora)

    travel("2026-03-22 12:00")
    assert _flagged() == []
    travel("2026-03-24 12:00")
    assert _flagged() == [channel]


def test_a_substitute_keeps_the_channel_off_the_flag(channel, dora, dagny, travel):
    _away(dora, dagny)
    travel("2026-03-24 12:00")

    assert _flagged() == []


def test_one_operator_present_keeps_the_channel_off_the_flag(channel, dora, library, travel):
    from activityplans.selectors import current_plan

    other = UserFactory(username="olle", unit=library)
    current_plan(channel).daily_operators.add(other)
    _away(dora)
    travel("2026-03-24 12:00")

    assert _flagged() == []


def test_informationsenheten_sees_the_unattended_channel_on_its_start_page(
    channel, dora, ingrid, travel
):
    _away(dora)
    travel("2026-03-24 12:00")

    sections = {section.key: section for section in sections_for(ingrid)}

    assert [item.label for item in sections["unattended_channels"].items] == [str(channel)]


def test_ending_an_absence_under_way_hands_the_work_back_at_once(channel, dora, dagny, travel):
    absence = _away(dora, dagny)
    travel("2026-03-24 12:00")

    ended = supervision.end_absence(absence, by=dora)

    assert ended.ends_at == at("2026-03-24 12:00")
    assert not selectors.may_moderate(dagny, channel)
    assert supervision.stand_in_for(dora) == dora


def test_a_planned_absence_is_withdrawn(dora, dagny, travel):
    absence = _away(dora, dagny)
    travel("2026-03-20 12:00")

    assert supervision.end_absence(absence, by=dora) is None
    assert not Absence.objects.exists()


def test_an_absence_already_over_cannot_be_ended(dora, dagny, travel):
    absence = _away(dora, dagny)
    travel("2026-03-30 12:00")

    errors = _errors(lambda: supervision.end_absence(absence, by=dora))

    assert errors["ends_at"] == ["Frånvaron är redan avslutad."]


def test_a_colleague_may_not_end_someone_elses_absence(dora, dagny, kim):
    absence = _away(dora, dagny)

    with pytest.raises(PermissionDeniedError):
        supervision.end_absence(absence, by=kim)
    assert Absence.objects.count() == 1
