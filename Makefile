# DeltaLedger: the two commands a new user needs are `make up` and `make test`.
SHELL := /bin/bash
GO ?= go

.PHONY: help test test-unit test-e2e fuzz vet fmt build

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

build: ## build the chaincode service into bin/
	$(GO) build -o bin/deltaledger-cc ./chaincode

test: vet test-unit ## run every test: static checks, unit tests, fuzz seeds
	@echo "make test: all tests passed"

vet: ## gofmt and go vet
	@unformatted=$$(gofmt -l .); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

test-unit: ## unit tests (chaincode against the in-memory peer stub, gateway HTTP layer)
	$(GO) test -count=1 ./...

fuzz: ## run each fuzz target briefly (FUZZTIME=10s by default)
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $${FUZZTIME:-10s} $$pkg || exit 1; \
	  done; \
	done

# The local Fabric network (scripts/, network/; see network/README.md).
.PHONY: fabric up down clean status deploy

fabric: ## build the pinned Fabric commands into bin/ (skipped when already built)
	scripts/build-fabric.sh

up: ## start the network (or complete it), deploy the chaincode, wait until healthy
	scripts/up.sh

down: ## stop the network's processes; its state stays for the next `make up`
	scripts/down.sh

clean: ## stop the network and delete everything it generated (bin/ stays)
	scripts/clean.sh

status: ## the network's processes, ports, channel heights and chaincode definition
	scripts/status.sh

deploy: ## redeploy a changed chaincode on the running network (next sequence)
	scripts/deploy.sh
