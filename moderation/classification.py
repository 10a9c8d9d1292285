"""The rules in the database, compiled once into a matcher and reused while they stay the same.

"The same" is judged by the count and latest change of the rules and the count and highest id
of the domain entries (one cheap query each time): a rule added, saved or deleted, or a domain
added or deleted, recompiles the matcher at the next item. A domain entry edited in place
(its list or name changed) and a rule changed by a bulk update are not noticed until one of
those happens or the process restarts."""

import logging
import threading
from contextlib import contextmanager

from django.conf import settings
from django.db.models import Count, Max

from .models import DomainEntry, Rule

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_cache: dict = {"key": None, "matcher": None}


def _version() -> tuple:
    rules = Rule.objects.aggregate(n=Count("pk"), at=Max("updated_at"))
    domains = DomainEntry.objects.aggregate(n=Count("pk"), top=Max("pk"))
    return (rules["n"], rules["at"], domains["n"], domains["top"])


def _usable(specs):
    """Rules are checked when saved; one that got in another way is left out, not fatal."""
    from .matching import RuleError, validate_rule

    for spec in specs:
        try:
            validate_rule(spec)
        except RuleError as error:
            logger.error("Moderation rule %s left out: %s", spec.id, error.message)
            continue
        yield spec


def rule_spec(rule):
    """The matcher's view of a rule (saved or not yet saved)."""
    from .matching import RuleSpec

    return RuleSpec(
        id=rule.pk or 0,
        name=rule.name,
        kind=rule.kind,
        pattern=rule.pattern,
        category=rule.category,
        action=rule.action,
        test_mode=rule.test_mode,
    )


def rule_problem(rule) -> str | None:
    """Why a stored rule is left out of the matcher (Swedish), or None: a rule saved before
    the rules ran on RE2 may use what RE2 cannot run, and the rules page says so."""
    from .matching import RuleError, validate_rule

    try:
        validate_rule(rule_spec(rule))
    except RuleError as error:
        return error.message
    return None


def build_matcher(rules=None):
    from .matching import Matcher

    rules = Rule.objects.filter(is_active=True) if rules is None else rules
    entries = list(DomainEntry.objects.values_list("domain", "list"))
    specs = (rule_spec(rule) for rule in rules)
    return Matcher(
        list(_usable(specs)),
        allowed_domains=[d for d, kind in entries if kind == DomainEntry.List.ALLOW],
        blocked_domains=[d for d, kind in entries if kind == DomainEntry.List.BLOCK],
        municipal_domains=settings.MUNICIPALITY_EMAIL_DOMAINS,
        regex_text_limit=settings.MODERATION_REGEX_TEXT_LIMIT,
    )


def matcher():
    key = _version()
    with _lock:
        if _cache["key"] != key:
            _cache["matcher"] = build_matcher()
            _cache["key"] = key
        return _cache["matcher"]


# Within a batch (the API, an import, a webhook delivery) the rules are read once, not once
# per item: a rule changed during the batch applies from the next batch on.
_pinned = threading.local()


@contextmanager
def pinned_matcher():
    if getattr(_pinned, "matcher", None) is not None:
        yield
        return
    _pinned.matcher = matcher()
    try:
        yield
    finally:
        _pinned.matcher = None


def classify(text: str) -> list:
    if not text:
        return []
    return (getattr(_pinned, "matcher", None) or matcher()).match(text)


def try_text(text: str) -> list:
    """What the rules would find in a text, test-mode rules included (the rules page's box)."""
    return classify(text)
