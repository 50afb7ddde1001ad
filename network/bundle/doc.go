// Package bundle holds the checks of `make bundle ORG=<region>` (scripts/bundle.sh): what one region needs to run
// its nodes on a machine of its own, taken from the network's state and laid out for installation under a prefix.
// Its end-to-end test (build tag e2e) bundles a region of the running network and checks that the bundle carries
// the region's keys and no other region's, no path of the checkout, every file its configurations name, and one
// systemd unit per process.
package bundle
