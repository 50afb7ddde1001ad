# shellcheck shell=bash
# The Fabric CAs of the network and every identity they issue. One fabric-ca-server per region (process
# ca-<org>, home network/.state/nodes/ca-<org>/) hosts two CAs: "ca" issues the org's MSP identities (enrollment
# certificates whose OU is the identity's type: peer, orderer, admin, client; the MSPs classify them by NodeOUs) and
# "tlsca" the TLS certificates. scripts/up.sh starts the CAs, then issue_identities registers and enrolls what
# the orgs lack, in the Fabric CA layout under network/.state/organizations/peerOrganizations/<domain>/:
#
#   ca/ca.<domain>-cert.pem, tlsca/tlsca.<domain>-cert.pem     the two CAs' certificates
#   msp/{cacerts,tlscacerts,config.yaml}                       the org MSP of the channel configuration
#   peers/peer0.<domain>/{msp,tls}                             the peer (type peer; TLS server certificate;
#                                                              tls/chaincode-client.*, self-signed: the only
#                                                              client its chaincode services accept)
#   orderers/orderer.<domain>/{msp,tls}                        the ordering node (type orderer)
#   peers/ccaas.<domain>/tls, peers/gateway.<domain>/tls       TLS server certificates of the chaincode service and
#                                                              the REST gateway (registered with the TLS CA)
#   peers/gateway.<domain>/registrar/msp                       the gateway's registrar at the CA: registers the
#                                                              enterprises operators onboard (client identities,
#                                                              deltaledger.* attributes only; gateway.yaml ca:)
#   users/Admin@<domain>/{msp,tls}                             the org admin (type admin; TLS client certificate;
#                                                              tls/admin.*, self-signed: the only client of the
#                                                              orderer's admin and the operations endpoints)
#   users/User<N>@<domain>/{msp,tls}                           the members of network/identities.env (type client)
#   monitoring/tls/monitoring.{crt,key}                        self-signed TLS client certificate of Prometheus
#                                                              (monitoring_tls): the operations endpoints trust
#                                                              it, the orderer's admin endpoint does not
#
# Each msp/ holds signcerts/cert.pem, keystore/priv_sk, cacerts/ and the NodeOU config.yaml; each tls/ holds
# server.{crt,key} (nodes) or client.{crt,key} (users) and ca.crt, the TLS CA's certificate. The enrollment ID of
# an identity is its folder's name, which the CA makes its certificate's CN. The CAs' registrar (the bootstrap
# identity of fabric-ca-server-config.yaml, its secret generated once into nodes/ca-<org>/registrar.secret)
# registers them; identities' enrollment secrets are random, used once and kept nowhere. For operators,
# nodes/ca-<org>/registrar/ is a fabric-ca-client home as that registrar, e.g.
#   FABRIC_CA_CLIENT_HOME=network/.state/nodes/ca-jiangsu/registrar fabric-ca-client identity list
# Source after common.sh and config.sh.

ca_home() { node_dir "ca-$1"; }
ca_registrar_home() { printf '%s/registrar' "$(ca_home "$1")"; }
ca_url() { printf 'https://%s:%s' "$(endpoint_host "$1" "ca.$(org_domain "$1")")" "$(orgval "$1" CA_PORT)"; }
# The certificate that verifies the CA server's TLS listener: the default CA's own (it issued tls-cert.pem).
ca_server_cert() { printf '%s/ca-cert.pem' "$(ca_home "$1")"; }

# ca_csr_hosts ORG: the host names of the CA server's TLS certificate: <ORG>_CA_CSR_HOSTS when network.env sets it,
# else ca.<domain> and <ORG>_CSR_HOSTS (network/fabricnet's CSRHosts applies this rule to the other nodes).
ca_csr_hosts() {
  local own=${1^^}_CA_CSR_HOSTS
  if [ -n "${!own:-}" ]; then printf '%s' "${!own}"; else printf 'ca.%s,%s' "$(org_domain "$1")" "$(orgval "$1" CSR_HOSTS)"; fi
}

# random_secret: 24 random URL-safe characters.
random_secret() { head -c 18 /dev/urandom | base64 | tr '+/' '-_'; }

DL_CA_REGISTRAR=registrar

# write_ca_config ORG: renders the server's and the TLS CA's configuration (mode 600) and the registrar's client
# configuration; the registrar's secret is made on the first run and kept.
write_ca_config() {
  local o=$1 home secret_file
  home=$(ca_home "$o")
  mkdir -p "$home/tlsca" "$(ca_registrar_home "$o")"
  chmod 700 "$home"
  secret_file=$home/registrar.secret
  if [ ! -s "$secret_file" ]; then
    (umask 077 && random_secret >"$secret_file")
  fi
  local listen
  listen=$(org_host "$o") # before HOST is made local: org_host falls back to the global one
  local HOST=$listen CA_PORT CA_OPERATIONS_PORT DOMAIN PROVINCE CITY CA_CSR_HOSTS CA_CERT
  local CA_REGISTRAR=$DL_CA_REGISTRAR CA_REGISTRAR_SECRET
  CA_PORT=$(orgval "$o" CA_PORT)
  CA_OPERATIONS_PORT=$(orgval "$o" CA_OPERATIONS_PORT)
  DOMAIN=$(org_domain "$o")
  PROVINCE=$(orgval "$o" PROVINCE)
  CITY=$(orgval "$o" CITY)
  CA_CSR_HOSTS=$(ca_csr_hosts "$o")
  CA_CERT=$(ca_server_cert "$o")
  CA_REGISTRAR_SECRET=$(<"$secret_file")
  (
    umask 077
    render "$DL_NETWORK/config/fabric-ca-server.yaml.tmpl" "$home/fabric-ca-server-config.yaml" HOST CA_PORT \
      CA_OPERATIONS_PORT DOMAIN PROVINCE CITY CA_CSR_HOSTS CA_REGISTRAR CA_REGISTRAR_SECRET
    render "$DL_NETWORK/config/fabric-ca-tlsca.yaml.tmpl" "$home/tlsca/fabric-ca-config.yaml" DOMAIN PROVINCE CITY \
      CA_REGISTRAR CA_REGISTRAR_SECRET
  )
  render "$DL_NETWORK/config/fabric-ca-client.yaml.tmpl" "$(ca_registrar_home "$o")/fabric-ca-client-config.yaml" \
    HOST CA_PORT CA_CERT PROVINCE CITY DOMAIN
}

# start_ca ORG: starts ORG's CA server unless it runs. The first start initialises both CAs (keys, certificates,
# database) in its home.
start_ca() {
  local o=$1 name="ca-$1"
  proc_pid "$name" >/dev/null && return 0
  proc_start "$name" FABRIC_CA_SERVER_HOME="$(ca_home "$o")" "$DL_BIN/fabric-ca-server" start
  log "started $name on $(ca_url "$o")"
}

# ca_ready ORG: the CA server answers /cainfo over TLS (its certificate exists once it has initialised).
ca_ready() {
  [ -f "$(ca_server_cert "$1")" ] || return 1
  curl -sf --max-time 5 --cacert "$(ca_server_cert "$1")" "$(ca_url "$1")/cainfo" >/dev/null
}

# issue_identities: registers and enrolls every identity the layout above lacks, from the running CAs, in one Go
# program (network/enroll): each key pair is made where it is stored. It also keeps the registrar's enrollments
# under nodes/ca-<org>/registrar/ for fabric-ca-client (see write_ca_config).
issue_identities() {
  (cd "$DL_ROOT" && go run ./network/enroll/cmd/enroll-network) >&2 || die "enrolling the network's identities failed"
}
