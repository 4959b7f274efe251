# Warble's servers. The node's role comes from the `warble_role` fact (web, worker or all,
# the default); the secrets from Hiera (warble::secret_key, warble::db_password) or the facts
# `warble_secret_key` and `warble_db_password` (as the Vagrantfile gives them).
node default {
  $role = $facts['warble_role'] ? {
    undef   => 'all',
    default => $facts['warble_role'],
  }
  include "warble::role::${role}"
}
