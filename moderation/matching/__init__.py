"""The prohibited-content matcher: pure logic, no models ("Vad får inte publiceras", §4).

    matcher = Matcher(rules, allowed_domains=..., blocked_domains=..., municipal_domains=...)
    matcher.match(text) -> [Match(rule_id, rule_name, category, action, test_mode, start, end)]
    matcher.try_text(text) -> [Explanation(match, excerpt, reason)]
    validate_rule(spec)  # raises RuleError with a Swedish message

Word rules match whole words; "ord*" is a prefix rule, "*ord" a suffix rule, "*ord*" an
infix rule; see normalise.py for the disguises that are seen through.
"""

from .categories import Action, Category, Kind
from .matcher import BUILTINS, Explanation, Match, Matcher, strongest_action
from .rules import RuleError, RuleSpec, validate_rule

__all__ = [
    "BUILTINS",
    "Action",
    "Category",
    "Explanation",
    "Kind",
    "Match",
    "Matcher",
    "RuleError",
    "RuleSpec",
    "strongest_action",
    "validate_rule",
]
