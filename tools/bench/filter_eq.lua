-- GET /Users?filter=userName eq "user000123@example.com" for seeded users drawn at random.
-- wrk -s filter_eq.lua http://127.0.0.1:PORT/scim/v2 -- USERS WIDTH TOKEN
-- USERS and WIDTH are those printed by scimulator_bench_seed (userName user<index, WIDTH digits>).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function init(args)
  users = tonumber(args[1])
  format = "%s/Users?filter=userName%%20eq%%20%%22user%0" .. tonumber(args[2]) .. "d%%40example.com%%22"
  wrk.headers["Authorization"] = "Bearer " .. (args[3] or "bench")
  wrk.headers["Accept"] = "application/scim+json"
  base = bench.base()
  bench.seed_random()
end

function request()
  return wrk.format("GET", string.format(format, base, math.random(users) - 1))
end

function done(summary, latency, requests)
  bench.report(summary, latency, false)
end
