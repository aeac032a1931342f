"""The ED bed board and the department's placement policy.

Occupancy is a fact of the arrival (drawn with it, so it is the same every time the arrival id is rebuilt); a bed
assigned during an episode is that episode's write and shows on the board only for that episode.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Zone = Literal["resus", "acute", "fast_track", "waiting_room"]
ZONES: tuple[Zone, ...] = ("resus", "acute", "fast_track", "waiting_room")
CAPACITY: dict[Zone, int] = {"resus": 4, "acute": 20, "fast_track": 8}
"""Beds per zone; the waiting room has no limit."""
FAST_TRACK_HOURS = ("08:00", "22:00")
"""Fast track is staffed from 08:00 until 22:00 (local policy)."""

ZONE_DESCRIPTIONS: dict[Zone, str] = {
    "resus": "resuscitation bays: monitored, airway and resuscitation team at the bedside",
    "acute": "monitored acute cubicles (majors)",
    "fast_track": "fast track for ambulatory patients expected to need few resources",
    "waiting_room": "waiting room, with repeat vital signs by the triage nurse",
}

PLACEMENT_POLICY = (
    "ED placement policy (local, following the ESI handbook's intent that ESI 1 is seen immediately and ESI 2 must "
    "not wait): ESI 1 -> resus, always. ESI 2 -> acute if a cubicle is free, otherwise resus if a bay is free, "
    "otherwise acute (escalate to the nurse in charge; never the waiting room). ESI 3 -> acute if a cubicle is free, "
    "otherwise waiting room with repeat vital signs. ESI 4 and 5 -> fast track if it is open and a space is free, "
    "otherwise waiting room. Free means capacity minus occupied, counted before this patient is placed."
)


@dataclass(frozen=True)
class Board:
    """Occupancy of each zone when the patient arrives."""

    arrival_time: str
    occupied: dict[Zone, int]

    @property
    def fast_track_open(self) -> bool:
        return FAST_TRACK_HOURS[0] <= self.arrival_time < FAST_TRACK_HOURS[1]

    def free(self, zone: Zone) -> int:
        """Free beds before this patient is placed (the waiting room is never full; fast track is closed at night)."""
        if zone == "waiting_room":
            return 1
        if zone == "fast_track" and not self.fast_track_open:
            return 0
        return CAPACITY[zone] - self.occupied[zone]


def placement_zone(esi_level: int, board: Board) -> Zone:
    """Where ``PLACEMENT_POLICY`` puts a patient of this ESI level, given the board before placement."""
    if esi_level == 1:
        return "resus"
    if esi_level == 2:
        if board.free("acute"):
            return "acute"
        return "resus" if board.free("resus") else "acute"
    if esi_level == 3:
        return "acute" if board.free("acute") else "waiting_room"
    return "fast_track" if board.free("fast_track") else "waiting_room"
