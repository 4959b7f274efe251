# A web server: nginx in front (static files from the current release, gzip, timeouts),
# proxying to gunicorn with gevent workers run by the warble-web unit; beside it the gRPC
# server of the warble-rpc unit, which clients reach directly on `grpc.port`.
class warble::web (
  String[1] $server_name = '_',
  Integer[1] $max_body_megabytes = 80,
) {
  include warble

  warble::service { 'web':
    description => 'Warble web: gunicorn with gevent workers',
  }
  warble::service { 'rpc':
    description => 'Warble gRPC: MicroPosts and the Analyzer (rpc.py)',
    command     => 'rpc.py',
    role        => 'web',
  }
  class { 'warble::nginx':
    content => epp('warble/nginx.conf.epp', {
      'root'               => $warble::root,
      'port'               => $warble::web_port,
      'server_name'        => $server_name,
      'max_body_megabytes' => $max_body_megabytes,
    }),
  }
}
