-- wrk script for the named co-signature benchmark (bench/bench_sign.c).
--
--   wrk -tT -cC -dDs -s bench/sign.lua URL -- REQUESTS-FILE T
--
-- REQUESTS-FILE is what `bench_sign prepare` wrote: one signature request
-- per line, "TOKEN<TAB>MEMO_ID<TAB>JSON-BODY".  Thread k of the T threads
-- sends lines k+1, k+1+T, k+1+2T, ... each exactly once as
--   POST /api/v1/memos/MEMO_ID/signatures
--   Authorization: Bearer TOKEN
-- and counts the answers: 201 (accepted), other statuses of a signature
-- request (refused), and failed sockets.  Once a thread's lines run out
-- it sends GET /api/v1/health instead, whose 200 answers are counted apart
-- (a signature request never answers 200), so no signature is sent twice;
-- the first request() of each thread is such a health request too (see
-- request()).  If a thread's lines ran out before the end, done() says
-- so ("exhausted" > 0): the rate is then a lower bound.  done() prints
-- one line that scripts/bench-run reads:
--   sign: accepted A refused R health H exhausted E seconds S rate A/S
--         socket_errors X latency_p50_ms P latency_p99_ms Q
-- (the latencies mix in the health requests, if any).

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local file = args[1]
  local nthreads = tonumber(args[2])
  if file == nil or nthreads == nil or nthreads < 1 then
    error("usage: wrk ... -s sign.lua URL -- REQUESTS-FILE THREADS")
  end
  lines = {}
  local i = 0
  for line in io.lines(file) do
    if i % nthreads == id then
      lines[#lines + 1] = line
    end
    i = i + 1
  end
  nextline = 1
  first = true
  accepted = 0
  refused = 0
  health = 0
  exhausted = 0
  health_req = wrk.format("GET", "/api/v1/health")
end

function request()
  -- wrk calls request() once on the first thread before the run to check
  -- what it returns: the first call of every thread gets a health request.
  if first then
    first = false
    return health_req
  end
  local line = lines[nextline]
  if line == nil then
    exhausted = 1
    return health_req
  end
  lines[nextline] = nil
  nextline = nextline + 1
  local token, memo, body = line:match("^([^\t]+)\t([^\t]+)\t(.+)$")
  return wrk.format("POST", "/api/v1/memos/" .. memo .. "/signatures", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, body)
end

function response(status, headers, body)
  if status == 201 then
    accepted = accepted + 1
  elseif status == 200 then
    health = health + 1
  else
    refused = refused + 1
  end
end

function done(summary, latency, requests)
  local a, r, h, e = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("accepted")
    r = r + t:get("refused")
    h = h + t:get("health")
    e = e + t:get("exhausted")
  end
  local secs = summary.duration / 1e6
  local errs = summary.errors
  io.write(string.format("sign: accepted %d refused %d health %d " ..
    "exhausted %d seconds %.3f rate %.0f socket_errors %d " ..
    "latency_p50_ms %.2f latency_p99_ms %.2f\n",
    a, r, h, e, secs, a / secs,
    errs.connect + errs.read + errs.write + errs.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
