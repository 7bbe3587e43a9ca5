"""Municipality directories and routing to the right window.

The calls the rest of Tsunagu uses:

    load_directory(id_or_path) -> Directory     (cached per id/path; validates, raises DirectoryError)
    route(analysis, directory, at) -> Routing   (who takes this concern, why, open now or when)
    handoff_window(directory, at) -> Availability (are consultants reachable in the chat now; when next)

`Directory.district_spellings()` gives the classifier the district names to spot, and
`Directory.districts` gives the bot the quick replies when it must ask for the district.
"""

from routing.placeholder import (
    Availability,
    Directory,
    DirectoryError,
    District,
    EmergencyContact,
    Referral,
    Routing,
    handoff_window,
    load_directory,
    route,
)

__all__ = [
    "Availability", "Directory", "DirectoryError", "District", "EmergencyContact",
    "Referral", "Routing", "handoff_window", "load_directory", "route",
]
