// Package sites holds the checks of site mode (`make up SITES=1`, scripts/lib/sites.sh): each region of the network
// runs on a host of its own, a Linux network namespace with one address on a bridge, and reaches the other regions
// only over that bridge, by the host names its TLS certificates carry. `make test-sites` runs them (build tag e2e,
// as root, from the office namespace) on a running network of sites, then the end-to-end suites through the sites.
package sites
