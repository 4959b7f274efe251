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
  class { 'warble::nginx':
    content => epp('warble/balancer.conf.epp', {
      'web_hosts'          => $web_hosts,
      'server_name'        => $server_name,
      'max_body_megabytes' => $max_body_megabytes,
    }),
  }
}
