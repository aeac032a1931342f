"""The synthetic clinic: per-episode state for writes, and the answer grader shared by every domain."""

from healthgym.mcp_servers.clinic.episode import EPISODE_META_KEY, EpisodeState, episode_state
from healthgym.mcp_servers.clinic.grading import grade_answer
from healthgym.mcp_servers.clinic.seeding import case_rng

__all__ = ["EPISODE_META_KEY", "EpisodeState", "case_rng", "episode_state", "grade_answer"]
