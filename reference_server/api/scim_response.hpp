#pragma once
// Building SCIM responses: every body is application/scim+json, every error goes through
// error_response, the single place that turns scim::Error into the RFC 7644 §3.12 body.
#include "reference_server/api/faults.hpp"
#include "reference_server/transport/http_server.hpp"
#include "scim/error.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace refserver {

inline constexpr const char* scim_media_type = "application/scim+json";

transport::HttpResponse json_response(int status, std::string body);
transport::HttpResponse json_response(int status, const nlohmann::json& body);
// `faults` may switch on Fault::error_status_number and Fault::error_plain_json.
transport::HttpResponse error_response(const scim::Error& error, const Faults& faults);
transport::HttpResponse empty_response(int status);

// RFC 7232 weak validator of a version number: W/"7".
std::string weak_etag(std::uint64_t version);

// Current UTC time as RFC 3339 with milliseconds, the form of meta.created/lastModified.
std::string now_rfc3339();

// A random RFC 4122 version 4 UUID: server-assigned ids must be unguessable and never reused.
std::string new_resource_id();

}  // namespace refserver
