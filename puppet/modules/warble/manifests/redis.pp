# Redis on this host, listening on loopback (Debian's default): cache, broker, shared state.
class warble::redis {
  package { 'redis-server': ensure => installed }
  service { 'redis-server':
    ensure   => running,
    enable   => true,
    provider => 'systemd',
    require  => Package['redis-server'],
  }
}
