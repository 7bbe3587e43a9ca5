"""Municipality directories and routing to the right window.

The calls the rest of Tsunagu uses:

    load_directory(id_or_path) -> Directory     (cached per id/path; validates, raises DirectoryError)
    route(analysis, directory, at) -> Routing   (who takes this concern, why, open now or when)
    handoff_window(directory, at) -> Availability (are consultants reachable in the chat now; when next)

`Directory.district_spellings()` gives the classifier the district names to spot, and
`Directory.district_choices()` gives the bot the quick replies when it must ask for the
district (ending with 「その他・わからない」, id UNKNOWN_DISTRICT).
Consultation sessions (相談会) and their slots: routing.sessions.upcoming / find_slot.
"""

from routing.directory import check_file, load_directory
from routing.model import (
    UNKNOWN_DISTRICT,
    Agency,
    Availability,
    Directory,
    DirectoryError,
    District,
    EmergencyContact,
    Referral,
    Routing,
    Session,
    Slot,
)
from routing.rules import handoff_window, route

__all__ = [
    "UNKNOWN_DISTRICT",
    "Agency",
    "Availability",
    "Directory",
    "DirectoryError",
    "District",
    "EmergencyContact",
    "Referral",
    "Routing",
    "Session",
    "Slot",
    "check_file",
    "handoff_window",
    "load_directory",
    "route",
]
