"""Cutting a period into parts: threads whole where they fit, no part over its limits."""

from hypothesis import given
from hypothesis import strategies as st

from archiving.volumes import group_threads, pack_threads, thread_roots


def test_replies_at_any_depth_belong_to_their_root():
    parents = {1: None, 2: 1, 3: 2, 4: None, 5: 99}  # 5 answers an item outside the period

    assert thread_roots(parents) == {1: 1, 2: 1, 3: 1, 4: 4, 5: 5}


def test_a_loop_in_the_parents_does_not_hang():
    assert set(thread_roots({1: 2, 2: 1})) == {1, 2}


def test_threads_are_ordered_by_their_first_item_and_keep_time_order():
    rows = [(1, 10), (2, 10), (3, 10), (4, 10)]
    roots = {1: 1, 2: 2, 3: 1, 4: 2}

    assert group_threads(rows, roots) == [[(1, 10), (3, 10)], [(2, 10), (4, 10)]]


def test_a_thread_that_does_not_fit_starts_the_next_part():
    threads = [[(1, 1), (2, 1)], [(3, 1), (4, 1)], [(5, 1)]]

    assert pack_threads(threads, max_items=3, max_size=100) == [[1, 2], [3, 4, 5]]


def test_a_thread_larger_than_a_part_is_cut_at_the_limit():
    threads = [[(1, 1)], [(2, 1), (3, 1), (4, 1), (5, 1)]]

    assert pack_threads(threads, max_items=3, max_size=100) == [[1], [2, 3, 4], [5]]


def test_the_text_limit_closes_a_part_too():
    threads = [[(1, 60)], [(2, 60)], [(3, 10)]]

    assert pack_threads(threads, max_items=100, max_size=100) == [[1], [2, 3]]


def test_a_period_without_items_still_has_one_part():
    assert pack_threads([], max_items=10, max_size=10) == [[]]


@given(
    st.lists(st.lists(st.integers(0, 50), min_size=1, max_size=12), max_size=30),
    st.integers(1, 8),
    st.integers(1, 200),
)
def test_every_item_once_in_order_and_no_part_over_its_limits(sizes, max_items, max_size):
    threads, next_id = [], 0
    for thread_sizes in sizes:
        threads.append([(next_id + i, size) for i, size in enumerate(thread_sizes)])
        next_id += len(thread_sizes)
    size_of = {item: size for thread in threads for item, size in thread}

    parts = pack_threads(threads, max_items=max_items, max_size=max_size)

    assert [item for part in parts for item in part] == list(range(next_id))
    for part in parts:
        assert len(part) <= max_items
        assert len(part) == 1 or sum(size_of[i] for i in part) <= max_size
    # A thread that fits in a part is never cut.
    where = {item: index for index, part in enumerate(parts) for item in part}
    for thread in threads:
        fits = len(thread) <= max_items and sum(s for _, s in thread) <= max_size
        if fits:
            assert len({where[item] for item, _ in thread}) == 1


def test_parts_are_about_equal_rather_than_leaving_a_small_last_part():
    threads = [[(n, 1)] for n in range(3000)]

    parts = pack_threads(threads, max_items=1000, max_size=10**9)

    assert [len(part) for part in parts] == [750, 750, 750, 750]


def test_a_period_that_fits_in_one_part_is_not_split():
    threads = [[(n, 1)] for n in range(1000)]

    assert len(pack_threads(threads, max_items=1000, max_size=10**9)) == 1
