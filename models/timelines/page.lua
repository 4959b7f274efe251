-- A page of the feed KEYS[1]: up to ARGV[3] zero-padded post ids from the cursor ARGV[2]
-- ('' for the newest), newer ones ('after', oldest first) or older ones ('before', newest
-- first) as ARGV[1] says; with the accounts merged on read (the set KEYS[2]) and whether the
-- feed was ever cut to its length (its oldest posts then live only in the database). False
-- for a cold feed. Reading keeps the feed for ARGV[4] more seconds.
if not redis.call('ZSCORE', KEYS[1], '') then
  return false
end
redis.call('EXPIRE', KEYS[1], ARGV[4])
local ids
if ARGV[1] == 'after' then
  ids = redis.call('ZRANGE', KEYS[1], '(' .. ARGV[2], '+', 'BYLEX', 'LIMIT', 0, ARGV[3])
else
  local top = ARGV[2] == '' and '+' or '(' .. ARGV[2]
  ids = redis.call('ZRANGE', KEYS[1], top, '(', 'BYLEX', 'REV', 'LIMIT', 0, ARGV[3])
end
local full = redis.call('ZCARD', KEYS[1]) - 1 >= tonumber(ARGV[5])
return {ids, redis.call('SMEMBERS', KEYS[2]), full and 1 or 0}
