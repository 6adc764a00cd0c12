-- GET /Users/{id} for ids drawn at random from the seeded id list.
-- wrk -s get_by_id.lua http://127.0.0.1:PORT/scim/v2 -- USER_IDS_FILE TOKEN
-- The nginx baseline runs this same script (nginx answers every path with the static file), so
-- the load generator does the same work in both runs.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function init(args)
  ids = bench.read_lines(args[1])
  wrk.headers["Authorization"] = "Bearer " .. (args[2] or "bench")
  wrk.headers["Accept"] = "application/scim+json"
  prefix = bench.base() .. "/Users/"
  bench.seed_random()
end

function request()
  return wrk.format("GET", prefix .. ids[math.random(#ids)])
end

function done(summary, latency, requests)
  bench.report(summary, latency, false)
end
