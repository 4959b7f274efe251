# PostgreSQL on this host with Warble's role and database (owned by that role).
class warble::postgresql {
  include warble

  $role = $warble::user
  $database = $warble::db_name
  $psql = '/usr/bin/psql -v ON_ERROR_STOP=1 -d postgres'

  package { 'postgresql': ensure => installed }
  service { 'postgresql':
    ensure   => running,
    enable   => true,
    provider => 'systemd',
    require  => Package['postgresql'],
  }
  exec { 'warble postgresql role':
    command => Sensitive("${psql} -c \"CREATE ROLE \\\"${role}\\\" LOGIN PASSWORD '${warble::password.unwrap}'\""),
    unless  => "${psql} -tAc \"SELECT 1 FROM pg_roles WHERE rolname = '${role}'\" | grep -q 1",
    user    => 'postgres',
    path    => ['/usr/bin', '/bin'],
    require => Service['postgresql'],
  }
  exec { 'warble postgresql database':
    command => "/usr/bin/createdb --owner=${role} --encoding=UTF8 ${database}",
    unless  => "${psql} -tAc \"SELECT 1 FROM pg_database WHERE datname = '${database}'\" | grep -q 1",
    user    => 'postgres',
    path    => ['/usr/bin', '/bin'],
    require => Exec['warble postgresql role'],
  }
}
