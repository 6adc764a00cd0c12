-- PATCH /Groups/{id} adding one member: a random seeded user to a random seeded group (the
-- group-push traffic of Okta and Entra ID). Counts 200s and anything else.
-- wrk -s patch_groups.lua http://127.0.0.1:PORT/scim/v2 -- USER_IDS_FILE GROUP_IDS_FILE TOKEN
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function init(args)
  users = bench.read_lines(args[1])
  groups = bench.read_lines(args[2])
  wrk.headers["Authorization"] = "Bearer " .. (args[3] or "bench")
  wrk.headers["Content-Type"] = "application/scim+json"
  wrk.headers["Accept"] = "application/scim+json"
  prefix = bench.base() .. "/Groups/"
  bench.seed_random()
  bench.init_counters()
end

function request()
  local body = '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],' ..
    '"Operations":[{"op":"add","path":"members","value":[{"value":"' .. users[math.random(#users)] .. '"}]}]}'
  return wrk.format("PATCH", prefix .. groups[math.random(#groups)], nil, body)
end

response = bench.count_response

function done(summary, latency, requests)
  bench.report(summary, latency, true)
end
