# A balancer: nginx spreading requests over several web hosts (`web_hosts`, each
# "address:port"). The web hosts run warble::web with gunicorn listening on their private
# address (warble::settings: WARBLE_SERVER_HOST) and trusting one proxy (server.proxy_hops).
class warble::balancer (
  Array[Pattern[/\A[^\s;:]+:[0-9]+\z/], 1] $web_hosts = $facts['warble_web_hosts'] ? {
    undef   => [],
    default => split($facts['warble_web_hosts'], ','),
  },
  String[1] $server_name = '_',
  Integer[1] $max_body_megabytes = 80,
) {
  package { 'nginx': ensure => installed }
  file { '/etc/nginx/sites-available/warble':
    ensure  => file,
    mode    => '0644',
    content => epp('warble/balancer.conf.epp', {
      'web_hosts'          => $web_hosts,
      'server_name'        => $server_name,
      'max_body_megabytes' => $max_body_megabytes,
    }),
    require => Package['nginx'],
    notify  => Service['nginx'],
  }
  file { '/etc/nginx/sites-enabled/warble':
    ensure  => link,
    target  => '/etc/nginx/sites-available/warble',
    require => Package['nginx'],
    notify  => Service['nginx'],
  }
  file { '/etc/nginx/sites-enabled/default':
    ensure  => absent,
    require => Package['nginx'],
    notify  => Service['nginx'],
  }
  service { 'nginx':
    ensure   => running,
    enable   => true,
    provider => 'systemd',
  }
}
