#pragma once
// What an event does to the IdP's directory. The engines learn what to push from the changes
// returned here; the target is not touched.
#include "simulator/directory/directory.hpp"
#include "simulator/lifecycle/event.hpp"

#include <string>
#include <vector>

namespace sim {

// One object the IdP now sees as changed. `kind` is the event that changed it; an event may
// change more than its subject (deleting a manager clears the manager of the reports).
struct Change {
  EventKind kind = EventKind::update;
  std::int64_t at = 0;
  std::string user;   // the user changed, if any
  std::string group;  // the group changed (membership, name, existence), if any
};

// Applies `event` (directory events only; others change nothing and return no change) and stamps
// changed_at on what changed. Throws std::invalid_argument when the event does not fit the
// directory (unknown key, a hire whose key or userName is taken, a move from a group the user
// is not in), naming the event, so a bad scenario fails before any request is sent.
std::vector<Change> apply_event(Directory& directory, const Event& event);

// True for the kinds apply_event changes the directory for.
bool changes_directory(EventKind kind);

// Applies every event to a copy of `directory`, to reject a bad lifecycle up front.
void validate_lifecycle(const Directory& directory, const std::vector<Event>& events);

}  // namespace sim
