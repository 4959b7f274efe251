# The base of every Warble server: the `warble` user who deploys and runs the processes, the
# layout `fab deploy` fills (releases/, envs/, shared/), the environment file with the host's
# settings and secrets (mode 0600), sudo rights for the deploy's systemctl calls, log rotation.
class warble (
  Variant[Sensitive[String[1]], String[1]] $secret_key = $facts['warble_secret_key'],
  Variant[Sensitive[String[1]], String[1]] $db_password = $facts['warble_db_password'],
  Pattern[/\A\/[^']*\z/] $root = '/srv/warble',
  String[1] $user = 'warble',
  String[1] $db_name = 'warble',
  String[1] $db_host = '127.0.0.1',
  # Streaming replicas of the database on $db_host (same name, user, password): read-only work
  # may go to them (database.replica_urls).
  Array[Pattern[/\A[A-Za-z0-9.:\[\]-]+\z/]] $db_replica_hosts = [],
  String[1] $redis_url = 'redis://127.0.0.1:6379/0',
  String[1] $redis_cache_url = 'redis://127.0.0.1:6380/0',
  Integer[1, 65535] $web_port = 8000,
  Integer[1] $web_workers = 4,
  # This host's number in the ids it makes; every host writing to one database needs its own.
  Integer[0, 31] $id_shard = $facts['warble_id_shard'] ? {
    undef   => 0,
    default => Integer($facts['warble_id_shard']),
  },
  Hash[Pattern[/\AWARBLE_[A-Z0-9_]+\z/], Scalar] $settings = {},
  Array[String[1]] $deploy_keys = [],
) {
  $secret = Sensitive($secret_key.unwrap)
  $password = Sensitive($db_password.unwrap)
  $environment = {
    'WARBLE_DEPLOY_CONTROL'  => 'systemd',
    'WARBLE_SERVER_HOST'     => '127.0.0.1',
    'WARBLE_SERVER_PORT'     => $web_port,
    'WARBLE_SERVER_WORKERS'  => $web_workers,
    'WARBLE_IDS_SHARD'       => $id_shard,
    'WARBLE_REDIS_URL'       => $redis_url,
    'WARBLE_REDIS_CACHE_URL' => $redis_cache_url,
  } + {  # avatar pictures: kept across releases, beside the data
    'WARBLE_AVATARS_DIRECTORY' => "${root}/shared/avatars",
  } + $settings
  $environment.each |$name, $value| {
    if "${value}" =~ /['\n]/ { fail("warble: ${name} must not hold a quote or a newline") }
  }
  if $secret.unwrap =~ /['\n]/ { fail('warble: secret_key must not hold a quote or a newline') }
  unless $password.unwrap =~ /\A[A-Za-z0-9._~-]+\z/ {
    fail('warble: db_password may hold only letters, digits and ._~- (it goes into a URL)')
  }

  package { ['python3', 'python3-venv', 'sudo', 'logrotate']: ensure => installed }

  group { $user: ensure => present, system => true }
  user { $user:
    ensure     => present,
    system     => true,
    gid        => $user,
    home       => $root,
    shell      => '/bin/bash',
    managehome => false,
    require    => Group[$user],
  }
  # nginx reads the releases' static files; shared/ (settings, data, logs) stays private.
  file { [$root, "${root}/releases", "${root}/envs"]:
    ensure  => directory,
    owner   => $user,
    group   => $user,
    mode    => '0755',
    require => User[$user],
  }
  file { ["${root}/shared", "${root}/shared/var", "${root}/shared/log", "${root}/shared/avatars",
          "${root}/.ssh"]:
    ensure  => directory,
    owner   => $user,
    group   => $user,
    mode    => '0750',
    require => User[$user],
  }
  unless empty($deploy_keys) {  # else the keys are left to whoever set them (e.g. Vagrant)
    file { "${root}/.ssh/authorized_keys":
      ensure  => file,
      owner   => $user,
      group   => $user,
      mode    => '0600',
      content => $deploy_keys.map |$key| { "${key}\n" }.join(''),
    }
  }
  file { "${root}/shared/warble.env":
    ensure  => file,
    owner   => $user,
    group   => $user,
    mode    => '0600',
    content => Sensitive(epp('warble/warble.env.epp', {
      'environment'  => $environment,
      'secret_key'   => $secret,
      'database_url' => Sensitive("postgresql://${user}:${password.unwrap}@${db_host}/${db_name}"),
      'database_replica_urls' => Sensitive($db_replica_hosts.map |$host| {
        "postgresql://${user}:${password.unwrap}@${host}/${db_name}"
      }.join(',')),
    })),
  }
  file { '/etc/sudoers.d/warble':
    ensure       => file,
    owner        => 'root',
    group        => 'root',
    mode         => '0440',
    content      => epp('warble/sudoers.epp', { 'user' => $user }),
    validate_cmd => '/usr/sbin/visudo -cf %',
    require      => Package['sudo'],
  }
  file { '/etc/logrotate.d/warble':
    ensure  => file,
    mode    => '0644',
    content => epp('warble/logrotate.epp', { 'root' => $root, 'user' => $user }),
  }
  exec { 'warble systemd daemon-reload':
    command     => '/usr/bin/systemctl daemon-reload',
    refreshonly => true,
  }
}
