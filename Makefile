# DeltaLedger: the two commands a new user needs are `make up` and `make test`.
SHELL := /bin/bash
GO ?= go
# Runs a client of the network where clients are: on a network of sites (make up SITES=1) in the office namespace.
OFFICE := scripts/office.sh

.PHONY: help test test-unit test-e2e fuzz vet fmt build assets

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

build: assets ## build the chaincode service, the gateway and the CLI into bin/
	$(GO) build -o bin/deltaledger-cc ./chaincode
	$(GO) build -o bin/deltaledger-gateway ./gateway/cmd/deltaledger-gateway
	$(GO) build -o bin/deltaledger ./client/cmd/deltaledger

# The front-end packages the binaries embed (package web; gateway/README.md, "Web assets"). Go builds without them
# (the pages then say "assets not built"), so only the targets that build or test the pages depend on this.
assets: ## install the pinned npm packages and copy the files the binaries embed into web/dist (skipped when up to date)
	scripts/build-web.sh

test: vet test-unit test-e2e ## run every test: static checks, unit tests, end-to-end tests on a real network
	@echo "make test: all tests passed"

vet: ## gofmt and go vet
	@unformatted=$$(gofmt -l .); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

# The chaincode packages' attack tests replay whole markets in the in-memory peer: on a busy two-CPU machine the
# largest (chaincode/trades) has taken more than go test's default ten minutes, so the limit is set here.
test-unit: assets ## unit tests (chaincode against the in-memory peer stub, gateway HTTP layer)
	$(GO) test -count=1 -timeout 30m ./...

# The end-to-end suites need the network: start it (building Fabric the first
# time), run every e2e package against it, then a smoke run of the benchmark,
# and stop it again whatever happens. A network that was already running is
# reused and left running. The short fault test (network/chaos) comes last: it
# kills and restarts processes.
test-e2e: ## end-to-end tests against the real Fabric network, the benchmark's smoke run, the short fault test
	@was_up=0; scripts/status.sh >/dev/null 2>&1 && was_up=1; \
	  scripts/up.sh || exit 1; \
	  DELTALEDGER_REUSE_NETWORK=1 $(OFFICE) $(GO) test -count=1 -p 1 -timeout 30m -tags e2e ./network/fabricnet ./network/enroll ./network/bundle ./internal/browsertest ./gateway/internal/dashboard ./test/e2e ./gateway/e2e ./client/e2e ./monitoring ; rc=$$?; \
	  if [ $$rc = 0 ]; then $(MAKE) --no-print-directory bench-smoke || rc=$$?; fi; \
	  if [ $$rc = 0 ]; then DELTALEDGER_REUSE_NETWORK=1 $(OFFICE) $(GO) test -count=1 -timeout 20m -tags e2e ./network/chaos; rc=$$?; fi; \
	  if [ $$was_up = 0 ]; then scripts/down.sh; fi; exit $$rc

# A few hundred transactions through every path, so that the benchmark keeps
# working: it fails unless every path succeeds, nothing conflicts, and no
# answer is contradicted by the blocks. Its results go to a temporary folder.
bench-smoke: ## a short run of every benchmark path with checks (what make test runs)
	@dir=$$(mktemp -d); scripts/bench.sh -n 40 -reads 80 -c 10 -rounds 2 -warmup 5 -check -results "$$dir"; rc=$$?; \
	  rm -rf "$$dir"; exit $$rc

fuzz: ## run each fuzz target briefly (FUZZTIME=10s by default)
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $${FUZZTIME:-10s} $$pkg || exit 1; \
	  done; \
	done

# The local Fabric network (scripts/, network/; see network/README.md).
.PHONY: fabric up down clean status deploy test-sites add-region test-add-region bundle bench bench-growth bench-load bench-smoke chaos bench-index close-period

fabric: ## build the pinned Fabric commands into bin/ (skipped when already built)
	scripts/build-fabric.sh

up: ## start the network (or complete it), deploy the chaincode, wait until healthy (SITES=1: each region on a site of its own)
	scripts/up.sh

down: ## stop the network's processes; its state stays for the next `make up`
	scripts/down.sh

clean: ## stop the network and delete everything it generated (bin/ stays)
	scripts/clean.sh

status: ## the network's processes, ports, channel heights and chaincode definition
	scripts/status.sh

# Site mode (README "Sites", scripts/lib/sites.sh; root): the network on four sites, brought up unless it runs (the
# state must be one of sites, or none: make clean first); network/sites proves that each region runs on a host of its
# own and survives a partition, then the end-to-end suites and the short fault test run through the sites
# (SUITES= other packages). A network this target started is stopped again.
test-sites: ## site mode: isolation checks, then the e2e suites and the short fault test through four sites (root)
	@was_up=0; scripts/status.sh >/dev/null 2>&1 && was_up=1; \
	  SITES=1 scripts/up.sh || exit 1; \
	  DELTALEDGER_REUSE_NETWORK=1 $(OFFICE) $(GO) test -count=1 -p 1 -timeout 60m -tags e2e ./network/sites \
	    $${SUITES:-./network/fabricnet ./network/enroll ./network/bundle ./test/e2e ./gateway/e2e ./client/e2e ./network/chaos}; rc=$$?; \
	  if [ $$was_up = 0 ]; then scripts/down.sh; fi; exit $$rc

# README "A region joins": a region joins the running network (its CA and identities, the channel update signed by a
# majority, its ordering node as one more consenter, its peer, the chaincode definition with its collections).
add-region: ## a region joins the running network: NAME= (e.g. suzhou), PROVINCE=, CITY= of its certificates, DIVISION= the division prefixes it holds (e.g. 3205)
	scripts/add-region.sh $(NAME)

# The joining checked under load: a network of its own (none may exist: make clean first), the fault test's set
# workload through the four regions while NAME=suzhou joins; the network is stopped, with the region, at the end.
test-add-region: ## e2e: a fifth region joins a running network under load (a network of its own: make clean first)
	@[ ! -e network/.state/channel ] || { echo "make test-add-region brings up a network of its own and leaves it with a fifth region: make clean first" >&2; exit 1; }
	scripts/up.sh
	DELTALEDGER_REUSE_NETWORK=1 $(OFFICE) $(GO) test -count=1 -timeout 30m -tags e2e -v ./network/addregion; rc=$$?; scripts/down.sh; exit $$rc

# README "Sites": one region's identities, node configs, join block, systemd units and ports, laid out for PREFIX.
bundle: ## what one region needs on a machine of its own: network/.state/bundles/ORG.tar.gz (ORG=, PREFIX=/opt/deltaledger)
	scripts/bundle.sh $(ORG)

deploy: ## redeploy a changed chaincode on the running network (next sequence)
	scripts/deploy.sh

bench: ## every path against the network's limit in one run (N= writes, READS=, C= in flight, ROUNDS=)
	scripts/bench.sh -n $${N:-1000} -reads $${READS:-3000} -c $${C:-50} -rounds $${ROUNDS:-3}

bench-growth: ## registration and reads at 1,000 / 10,000 / 100,000 assets (GROWTH= sizes; loads the ledger first)
	scripts/bench.sh -growth $${GROWTH:-1000,10000,100000} -n $${N:-300} -reads $${READS:-900} -c $${C:-50} -rounds $${ROUNDS:-3}

bench-load: ## only fill the ledger with the growth run's assets, up to ASSETS= (default 100000)
	scripts/bench.sh -load $${ASSETS:-100000} -load-c $${C:-100}

close-period: ## publish the indices of a period on the running network: every region attests, the regulator publishes (PERIOD=hour:YYYY-MM-DDTHH|day:YYYY-MM-DD|month:YYYY-MM, default the newest hour that opens now: ended 7 minutes ago or more, 6 for an hour of 2026 in Beijing)
	$(OFFICE) scripts/close-period.sh $(PERIOD)

bench-index: ## measure the ledger index: catch-up from block 0 and catalogue search p99 at 100,000 assets (ASSETS=, no network needed)
	$(GO) run ./gateway/internal/index/indexbench -assets $${ASSETS:-100000}

# The fault test (network/chaos, README "Faults"): brings the network up if needed, then clients of every region
# register assets for DURATION while a nemesis kills, restarts and isolates; the report goes to chaos-results/.
chaos: ## fault test: set workload under kill -9 and isolation, checked through every region (DURATION=5m SEED=1)
	scripts/up.sh
	$(OFFICE) $(GO) run ./network/chaos/cmd/chaos -duration $${DURATION:-5m} -seed $${SEED:-1}
