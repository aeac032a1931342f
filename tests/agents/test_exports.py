"""The public surface of healthgym.agents: sorted, and every name resolves."""

import healthgym.agents as agents


def test_all_is_sorted_and_resolves() -> None:
    assert agents.__all__ == sorted(agents.__all__)
    for name in agents.__all__:
        assert getattr(agents, name) is not None
