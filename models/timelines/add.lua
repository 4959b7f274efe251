-- Add the post ARGV[1] (its zero-padded id) to each feed of KEYS that is built or being built
-- (a key KEYS[i] .. ':building' exists), keeping the newest ARGV[2] posts. A cold feed is left
-- alone: it is built from the database when first read. Returns how many feeds took the post.
local added = 0
for _, feed in ipairs(KEYS) do
  if redis.call('EXISTS', feed) == 1 or redis.call('EXISTS', feed .. ':building') == 1 then
    redis.call('ZADD', feed, 0, ARGV[1])
    trim(feed, tonumber(ARGV[2]))
    added = added + 1
  end
end
return added
