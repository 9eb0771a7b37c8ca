-- One page at saturation, signed in (bench/load/saturate.py runs it; bench/README.md, "Load").
--   WRK_COOKIE   the Cookie header: "csrftoken=…; sessionid=…" (empty: anonymous)
--   WRK_CSRF     the CSRF token (sent as X-CSRFToken on a POST)
--   WRK_METHOD   GET (default) or POST
--   WRK_BODY     the form body of a POST (application/x-www-form-urlencoded)
--   WRK_HTMX     "1": send HX-Request (the live pre-check)
-- At the end it prints one JSON line, `wrk-result {...}`, that saturate.py reads.
local cookie = os.getenv("WRK_COOKIE") or ""
local method = os.getenv("WRK_METHOD") or "GET"
local body = os.getenv("WRK_BODY") or ""
local csrf = os.getenv("WRK_CSRF") or ""

wrk.method = method
if cookie ~= "" then wrk.headers["Cookie"] = cookie end
if os.getenv("WRK_HTMX") == "1" then wrk.headers["HX-Request"] = "true" end
if method == "POST" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["X-CSRFToken"] = csrf
  wrk.headers["Referer"] = "http://127.0.0.1/"
end

statuses = {}  -- a global: done() reads it from each thread with t:get
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

-- response() runs per thread; done() sees only the summary, so each thread's counts are
-- gathered through wrk's thread objects.
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end

done = function(summary, latency, requests)
  local codes = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    if s then
      for k, v in pairs(s) do codes[k] = (codes[k] or 0) + v end
    end
  end
  local parts = {}
  for k, v in pairs(codes) do table.insert(parts, string.format('"%d":%d', k, v)) end
  io.write(string.format(
    'wrk-result {"requests":%d,"seconds":%.3f,"rps":%.2f,"p50_ms":%.1f,"p99_ms":%.1f,'
    .. '"errors":%d,"timeouts":%d,"statuses":{%s}}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status,
    summary.errors.timeout, table.concat(parts, ",")))
end
