-- Shared by the wrk scripts of tools/bench.sh (loaded with dofile from the script's own folder).
-- Each wrk thread runs its own Lua state; setup() runs in the main state, which also runs done().
-- Counters therefore live in the threads and are summed in done() through thread:get().

bench = {}
bench.threads = {}

function bench.read_lines(path)
  local lines = {}
  local file = assert(io.open(path, "r"), "cannot open " .. tostring(path))
  for line in file:lines() do
    if #line > 0 then lines[#lines + 1] = line end
  end
  file:close()
  assert(#lines > 0, path .. " holds no ids; was the data file seeded?")
  return lines
end

-- The base path of the URL given to wrk ("/scim/v2"), without a trailing slash.
function bench.base()
  return (wrk.path:gsub("/$", ""))
end

function bench.seed_random()
  math.randomseed(os.time() * 1000 + (thread_id or 0) * 7919)
  -- LuaJIT's first values after seeding are poorly spread; discard a few.
  for _ = 1, 10 do math.random() end
end

-- Registers every thread so done() can read its counters, and gives it a stable id.
function setup(thread)
  bench.threads[#bench.threads + 1] = thread
  thread:set("thread_id", #bench.threads)
end

-- Counts responses by class; only scripts that need counts install this as response().
function bench.count_response(status, headers, body)
  if status == 200 or status == 204 then ok_200 = ok_200 + 1
  elseif status == 201 then created_201 = created_201 + 1
  else
    other = other + 1
    if first_error == nil then first_error = tostring(status) .. " " .. string.sub(body or "", 1, 300) end
  end
end

function bench.init_counters()
  ok_200, created_201, other = 0, 0, 0
end

-- One machine-readable line for bench.sh, then the counters if the script kept any.
function bench.report(summary, latency, counted)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local line = string.format(
    "BENCH requests=%d seconds=%.3f rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d non2xx=%d socket_errors=%d",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.status, e.connect + e.read + e.write + e.timeout)
  if counted then
    -- counter: requests built by post_users.lua (sent, or still in flight when wrk stopped).
    local sums = { ok_200 = 0, created_201 = 0, other = 0, counter = 0 }
    local first
    for _, t in ipairs(bench.threads) do
      for k in pairs(sums) do sums[k] = sums[k] + (t:get(k) or 0) end
      first = first or t:get("first_error")
    end
    line = line .. string.format(" ok_200=%d created_201=%d other=%d built=%d", sums.ok_200, sums.created_201,
      sums.other, sums.counter)
    if first then io.write("first unexpected response: ", first, "\n") end
  end
  io.write(line, "\n")
end
