"""A culling age under three months is refused at start-up (tidigast efter tre månader)."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings


@pytest.mark.parametrize("age", [0, 2, -3])
def test_a_culling_age_under_three_months_stops_start_up(age):
    with override_settings(CULLING_AGE_MONTHS=age), pytest.raises(SystemCheckError) as refusal:
        call_command("check")
    assert "tidigast efter tre månader" in str(refusal.value)


@pytest.mark.parametrize("age", [3, 12])
def test_three_months_or_more_is_accepted(age):
    with override_settings(CULLING_AGE_MONTHS=age):
        call_command("check")
