-- Shared by the scripts that add posts: keep the newest `length` posts of `feed`, past its
-- "built" mark (the empty member, first of all in lexical order).
local function trim(feed, length)
  local first = redis.call('ZSCORE', feed, '') and 1 or 0
  local extra = redis.call('ZCARD', feed) - first - length
  if extra > 0 then
    redis.call('ZREMRANGEBYRANK', feed, first, first + extra - 1)
  end
end
