#pragma once
// Who is acting in the request this thread is serving: the authenticated token's key. A request
// is served start to finish on one thread, so the SCIM layer sets it once after authentication
// and the audit hooks deep below read it, without threading it through every signature.
#include <string>
#include <utility>

namespace refserver::access {

inline thread_local std::string current_actor_value;

inline const std::string& current_actor() { return current_actor_value; }

class ActorScope {
 public:
  explicit ActorScope(std::string actor) : previous_(std::exchange(current_actor_value, std::move(actor))) {}
  ~ActorScope() { current_actor_value = std::move(previous_); }
  ActorScope(const ActorScope&) = delete;
  ActorScope& operator=(const ActorScope&) = delete;

 private:
  std::string previous_;
};

}  // namespace refserver::access
