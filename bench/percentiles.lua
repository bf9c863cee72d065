-- wrk reports p50/p75/p90/p99 on its own; this prints one JSON line with p50, p95 and p99 as well.
-- An optional argument (after `--`) is a think time in milliseconds: each connection then waits
-- between 0.5 and 1.5 times that long after every response, like a person reading the page.
-- wrk times each request from sending to the response, so the pauses are not counted as latency.
local think_ms = 0

init = function(args)
  think_ms = tonumber(args[1]) or 0
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

delay = function()
  if think_ms == 0 then
    return 0
  end
  return math.floor(think_ms * (0.5 + math.random()))
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    errors.connect + errors.read + errors.write + errors.status + errors.timeout))
end
