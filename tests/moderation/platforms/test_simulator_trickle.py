"""The demo's trickle (moderation/platforms/simulator/trickle.py): Swedish comments and
messages from made-up citizens, replies, edits and deletions, deterministic for a seed, and
some of them caught by the starter rules."""

import time

import pytest

from moderation.classification import classify
from moderation.platforms.simulator.state import SimulatorState
from moderation.platforms.simulator.trickle import COMMENTS, MESSAGES, Account, Trickle

ACCOUNTS = [Account("facebook", "1001"), Account("x", "2002")]


def _world() -> SimulatorState:
    state = SimulatorState()
    for account in ACCOUNTS:
        for text in ("Välkommen till vår sida!", "Sommarens öppettider"):
            state.add(account.platform, account.account, "post", text, by_account=True)
    return state


def _run(seed: int, steps: int):
    state = _world()
    trickle = Trickle(state, ACCOUNTS, seed=seed, clock=lambda: 1_750_000_000.0)
    events = [trickle.step() for _ in range(steps)]
    return state, events


def test_same_seed_gives_the_same_events_and_world():
    first_state, first = _run(7, 80)
    second_state, second = _run(7, 80)

    assert first == second
    assert {key: obj.text for key, obj in first_state.objects.items()} == {
        key: obj.text for key, obj in second_state.objects.items()
    }


def test_another_seed_gives_other_events():
    _state, first = _run(7, 40)
    _state, second = _run(8, 40)

    assert first != second


def test_a_long_run_has_every_kind_of_event():
    _state, events = _run(3, 300)

    kinds = {event.kind for event in events}
    assert kinds == {"comment", "message", "reply", "edit", "delete"}


def test_direct_messages_only_where_the_platform_has_them():
    state, events = _run(3, 300)

    platforms = {event.platform for event in events if event.kind == "message"}
    assert platforms == {"facebook"}
    assert all(obj.parent is None for obj in state.objects.values() if obj.kind == "message")


def test_comments_answer_a_post_and_replies_an_earlier_comment():
    state, events = _run(3, 300)

    for event in events:
        obj = state.get(event.platform, event.object_id)
        parent = state.get(event.platform, obj.parent) if obj.parent else None
        if event.kind == "comment":
            assert parent.kind == "post"
        elif event.kind == "reply":
            assert parent.kind == "comment"
            assert parent.author != obj.author
        assert not obj.by_account


def test_an_edit_keeps_the_earlier_text_and_a_deletion_marks_it_gone():
    state, events = _run(3, 300)

    edit = next(event for event in events if event.kind == "edit")
    deletion = next(event for event in events if event.kind == "delete")
    edited = state.get(edit.platform, edit.object_id)
    assert edited.edits
    assert edit.text.startswith(edited.edits[0][1])
    assert state.get(deletion.platform, deletion.object_id).deleted


def test_nothing_to_comment_on_without_posts():
    trickle = Trickle(SimulatorState(), [Account("x", "1")], seed=1)

    assert trickle.step() is None


def test_the_list_holds_about_forty_swedish_texts_of_every_sort():
    texts = COMMENTS + MESSAGES

    assert 36 <= len(texts) <= 48
    assert len({text for text, _caught in texts}) == len(texts)
    assert sum(caught for _text, caught in texts) >= 8
    assert any("?" in text for text, _caught in texts)  # questions


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "caught"), COMMENTS + MESSAGES)
def test_starter_rules_catch_exactly_the_texts_marked_caught(text, caught):
    assert bool(classify(text)) is caught


@pytest.mark.django_db
def test_starter_rules_catch_personnummer_insult_phone_and_phishing_link():
    sources = {match.source for text, _caught in COMMENTS + MESSAGES for match in classify(text)}

    assert {"personnummer", "phone", "link", "word"} <= sources


def test_the_thread_adds_items_until_stopped():
    state = _world()
    trickle = Trickle(state, ACCOUNTS, seed=5, interval=0.01)

    trickle.start()
    deadline = time.monotonic() + 10
    while len(state.objects) < 10 and time.monotonic() < deadline:
        time.sleep(0.02)
    trickle.stop()
    count = len(state.objects)
    time.sleep(0.1)

    assert count >= 10
    assert len(state.objects) == count


def test_a_paused_thread_adds_nothing():
    state = _world()
    trickle = Trickle(state, ACCOUNTS, seed=5, interval=0.01)
    trickle.paused = True

    trickle.start()
    time.sleep(0.2)
    trickle.stop()

    assert len(state.objects) == 4
