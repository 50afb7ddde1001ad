// Package addregion holds the end-to-end check of a region joining the running network (`make add-region`,
// scripts/add-region.sh): `make test-add-region` brings up a network of its own and runs it (build tag e2e); the
// network is left with the added region.
package addregion
