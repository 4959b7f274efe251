# One Warble process as a systemd unit `warble-<title>` (web, rpc, worker or beat), enabled at
# boot, with the settings of `role`. It is not started here: `fab deploy` starts or reloads it
# once a release is current.
define warble::service (
  String[1] $description,
  String $command = '',
  String[1] $role = 'worker',
) {
  include warble

  file { "/etc/systemd/system/warble-${title}.service":
    ensure  => file,
    mode    => '0644',
    content => epp('warble/unit.service.epp', {
      'description' => $description,
      'root'        => $warble::root,
      'user'        => $warble::user,
      'name'        => $title,
      'command'     => $command,
      'role'        => $role,
    }),
    notify  => Exec['warble systemd daemon-reload'],
  }
  service { "warble-${title}":
    enable   => true,
    provider => 'systemd',
    require  => [File["/etc/systemd/system/warble-${title}.service"],
                 Exec['warble systemd daemon-reload']],
  }
}
