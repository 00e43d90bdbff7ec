-- wrk script: POST a new comment per request, each with a unique body (so that
-- duplicate detection never refuses one) to the thread given in wrk's URL path.
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
end

local n = 0

function request()
  n = n + 1
  local body = string.format(
    '{"author":{"name":"Lecteur %d","email":"lecteur%d@example.org"},' ..
    '"body":"Commentaire de charge %d-%d : c\\u2019est *bien* reçu, merci."}',
    tid, tid, tid, n)
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end
