# shellcheck shell=bash
# The libraries of the scripts that build, run and measure the network, in the order they use each other: the
# rendered configuration, the CAs, the chaincode's deployment, channel updates, the gateways and the monitoring.
# Source after env.sh.

# shellcheck source=scripts/lib/config.sh
source "$DL_ROOT/scripts/lib/config.sh"
# shellcheck source=scripts/lib/ca.sh
source "$DL_ROOT/scripts/lib/ca.sh"
# shellcheck source=scripts/lib/deploy.sh
source "$DL_ROOT/scripts/lib/deploy.sh"
# shellcheck source=scripts/lib/channel.sh
source "$DL_ROOT/scripts/lib/channel.sh"
# shellcheck source=scripts/lib/gateway.sh
source "$DL_ROOT/scripts/lib/gateway.sh"
# shellcheck source=scripts/lib/monitoring.sh
source "$DL_ROOT/scripts/lib/monitoring.sh"
