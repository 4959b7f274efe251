# A balancer machine: nginx in front of the web machines (warble::balancer::web_hosts, or the
# fact `warble_web_hosts`: "address:port,address:port"). No Warble release runs here.
class warble::role::balancer {
  include warble::balancer
}
