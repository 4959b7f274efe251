# nginx serving Warble's one site (`content`, the rendered server block) in place of Debian's
# default site. A machine has one: the web role's (in front of gunicorn) or the balancer's.
class warble::nginx (
  String[1] $content,
) {
  package { 'nginx': ensure => installed }
  file { '/etc/nginx/sites-available/warble':
    ensure  => file,
    mode    => '0644',
    content => $content,
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
