-- Build the feed KEYS[1] from the database's answer: the posts ARGV[4..] merged with what the
-- fan-out added meanwhile, the "built" mark, the newest ARGV[1] kept, idle for at most ARGV[2]
-- seconds. With ARGV[3] = 'built', only a feed already built takes them (a follow's posts).
if ARGV[3] == 'built' and not redis.call('ZSCORE', KEYS[1], '') then
  return 0
end
for i = 4, #ARGV, 500 do
  local members = {}
  for j = i, math.min(i + 499, #ARGV) do
    members[#members + 1] = 0
    members[#members + 1] = ARGV[j]
  end
  redis.call('ZADD', KEYS[1], unpack(members))
end
redis.call('ZADD', KEYS[1], 0, '')
trim(KEYS[1], tonumber(ARGV[1]))
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('DEL', KEYS[1] .. ':building')
return 1
