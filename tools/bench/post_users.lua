-- POST /Users with a new, unique userName on every request, counting the 201s so bench.sh can
-- check that exactly that many users were added (durability of acknowledged writes).
-- wrk -s post_users.lua http://127.0.0.1:PORT/scim/v2 -- RUN_TAG TOKEN
-- Names are bench-<run tag>-t<thread>-<n>: unique per run, per wrk thread and per request
-- (a wrk thread builds the requests of all its connections, so a per-thread counter suffices).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local departments = { "Engineering", "Sales", "Marketing", "Finance", "Support", "Legal", "Operations" }

function init(args)
  tag = args[1] or tostring(os.time())
  wrk.headers["Authorization"] = "Bearer " .. (args[2] or "bench")
  wrk.headers["Content-Type"] = "application/scim+json"
  wrk.headers["Accept"] = "application/scim+json"
  path = bench.base() .. "/Users"
  counter = 0
  bench.init_counters()
end

function request()
  counter = counter + 1
  local n = string.format("%s-t%d-%07d", tag, thread_id, counter)
  local body = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",' ..
    '"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],' ..
    '"userName":"bench-' .. n .. '@example.com","externalId":"ext-' .. n .. '",' ..
    '"name":{"givenName":"Given' .. counter .. '","familyName":"Family' .. n .. '"},' ..
    '"displayName":"Given' .. counter .. ' Family' .. n .. '",' ..
    '"emails":[{"value":"bench-' .. n .. '@example.com","type":"work","primary":true}],"active":true,' ..
    '"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"' .. n ..
    '","department":"' .. departments[counter % #departments + 1] .. '"}}'
  return wrk.format("POST", path, nil, body)
end

response = bench.count_response

function done(summary, latency, requests)
  bench.report(summary, latency, true)
end
