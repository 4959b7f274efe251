# Redis on this host, listening on loopback (Debian's default), as two servers:
# - `redis-server` (port 6379): Celery broker, rate limits, shared state. It never evicts: when
#   full it refuses writes, loudly, rather than silently dropping a queued task or a limit.
# - `redis-server@cache` (port `cache_port`): the page cache alone, bounded at
#   `cache_maxmemory` and evicting its least recently used keys, so that no flood of distinct
#   pages can touch the broker's memory.
class warble::redis (
  Pattern[/\A[0-9]+(kb|mb|gb)\z/] $cache_maxmemory = '256mb',
  Integer[1, 65535] $cache_port = 6380,
) {
  package { 'redis-server': ensure => installed }

  file { '/etc/redis/warble.conf':
    ensure  => file,
    owner   => 'redis',
    group   => 'redis',
    mode    => '0640',
    content => "# Managed by Puppet (warble::redis): the broker's Redis never evicts.\nmaxmemory-policy noeviction\n# A home feed of 800 posts in the compact encoding: 20 KB rather than 90 KB.\nzset-max-listpack-entries 1024\n",
    require => Package['redis-server'],
  }
  exec { 'redis-server reads /etc/redis/warble.conf':
    command => "/bin/sh -c 'echo \"include /etc/redis/warble.conf\" >> /etc/redis/redis.conf'",
    unless  => '/bin/grep -qx "include /etc/redis/warble.conf" /etc/redis/redis.conf',
    require => File['/etc/redis/warble.conf'],
    notify  => Service['redis-server'],
  }
  service { 'redis-server':
    ensure    => running,
    enable    => true,
    provider  => 'systemd',
    require   => Package['redis-server'],
    subscribe => File['/etc/redis/warble.conf'],
  }

  file { '/etc/redis/redis-cache.conf':
    ensure  => file,
    owner   => 'redis',
    group   => 'redis',
    mode    => '0640',
    content => epp('warble/redis-cache.conf.epp', {
      'port'      => $cache_port,
      'maxmemory' => $cache_maxmemory,
    }),
    require => Package['redis-server'],
  }
  service { 'redis-server@cache':
    ensure    => running,
    enable    => true,
    provider  => 'systemd',
    subscribe => File['/etc/redis/redis-cache.conf'],
  }
}
