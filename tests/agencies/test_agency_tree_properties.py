"""Property: the one-query subtree and ancestor queries agree with walking the tree in Python."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.agencies.models import Agency
from gongkai.agencies.tree import ancestors, descendants

# A forest as a parent list: node i's parent is None or a node before it (so no cycles).
forests = st.integers(1, 25).flatmap(
    lambda n: st.tuples(*[st.none() | st.integers(0, i - 1) if i else st.none() for i in range(n)])
)


def walk_down(parents, seeds):
    found, frontier = set(seeds), set(seeds)
    while frontier:
        frontier = {i for i, p in enumerate(parents) if p in frontier} - found
        found |= frontier
    return found


def walk_up(parents, seeds):
    found = set()
    for node in seeds:
        while node is not None and node not in found:
            found.add(node)
            node = parents[node]
    return found


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parents=forests, data=st.data())
def test_subtree_and_ancestors_match_a_walk(parents, data):
    Agency.objects.update(parent=None)  # PROTECT: detach before deleting the last example
    Agency.objects.all().delete()
    nodes = []
    for i, parent in enumerate(parents):
        nodes.append(
            Agency.objects.create(
                name=f"a{i}", slug=f"a{i}", parent=None if parent is None else nodes[parent]
            )
        )
    index = {node.pk: i for i, node in enumerate(nodes)}
    seeds = data.draw(st.sets(st.integers(0, len(parents) - 1), max_size=3))
    seed_ids = [nodes[i].pk for i in seeds]

    down = {index[pk] for pk in descendants(seed_ids).values_list("pk", flat=True)}
    assert down == walk_down(parents, seeds)
    up = {index[pk] for pk in ancestors(seed_ids).values_list("pk", flat=True)}
    assert up == walk_up(parents, seeds)
    strict = {
        index[pk] for pk in descendants(seed_ids, include_self=False).values_list("pk", flat=True)
    }
    assert strict == walk_down(parents, seeds) - set(seeds)
