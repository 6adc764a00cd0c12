#pragma once
// The lifecycle `simulate --generate` runs when no scenario is given: an org living through
// `days` days of ordinary churn. Changes arrive in the batches an HR-driven directory produces
// (hires at 09:00, group changes at 10:00, moves at 11:00, profile edits at 13:00, leavers at
// 17:00), so Okta pushes each batch at once and Entra finds it in its next cycle.
#include "simulator/directory/directory.hpp"
#include "simulator/directory/generator.hpp"
#include "simulator/lifecycle/event.hpp"

#include <vector>

namespace sim {

// Deterministic for a given directory, spec and days. Every event is valid in order (the
// generator applies each one to its own copy of the directory as it goes). Per day, with N live
// users and r = spec.churn / 30: N·r hires and as many leavers (deactivated and removed from
// their groups), 1.5·N·r group moves, N·r profile edits, N·r/5 email or userName casing changes,
// N·r/10 renames, reactivations and hard deletes of earlier leavers; a group rename every third
// day, a new group every seventh day, a deleted group every tenth day.
std::vector<Event> default_lifecycle(const Directory& directory, const GenerateSpec& spec, int days);

}  // namespace sim
