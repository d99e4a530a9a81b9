# One command sets up a fresh machine and runs every test: `make test`.
# Debian packages are installed only when missing (and only as root); Python packages go into
# .python-deps/ inside the repo, pinned by Interop/requirements*.txt.

PYTHON ?= /usr/bin/python3
PYDEPS := .python-deps
# liblz4-1, libzstd1 and libsnappy1v5 are the libraries the lz4, zstd and snappy codecs load at run
# time (the tests exercise every codec; the build needs none of them); kcat is a client of the
# compatibility matrix; chromium loads the console's pages in its tests; openssl makes the TLS tests'
# certificates.
DEBIAN_PACKAGES := python3-dev python3-pip zlib1g-dev liblz4-1 libzstd1 libsnappy1v5 kcat chromium openssl

# Builds and tests run with the codecs' development headers hidden (as root), which proves on every
# CI run that a fresh machine builds and starts the broker without them.
WITHOUT_CODEC_HEADERS := scripts/without-codec-headers.sh

.PHONY: test test-fast lint format build deps system-deps python-deps generate compatibility clean-deps benchmarks-build \
	bench-micro fuzz fuzz-long crash-test-long load-test-long bench fresh-machine-test

# A build of the benchmark package (so that it cannot rot), each libFuzzer target for 60 s
# (Tests/Fuzz), then the suite, whose summary line stays the last line of the output.
test: lint deps benchmarks-build fuzz
	$(WITHOUT_CODEC_HEADERS) swift test

# swift-format (part of the toolchain) with the committed .swift-format, over every Swift file git tracks
# except generated code; `make format` rewrites the files, `make lint` fails on what it would change.
SWIFT_SOURCES = $$(git ls-files '*.swift' | grep -v '/Generated/')
lint:
	swift format lint --strict --parallel $(SWIFT_SOURCES)

format:
	swift format format --in-place --parallel $(SWIFT_SOURCES)

# The pure and component tiers (see Tests/SamsaTestSupport/TestTiers.swift): no Python, no fuzzing,
# no installs, no other program. 38 s wall on a 2-core machine with the build up to date (11 s of
# SwiftPM's up-to-date check, 26 s for 305 tests); 59-83 s while other builds shared the cores.
# INTEGRATION_SUITES names every suite tagged `.integration` (TestTierTests checks it): swift test
# filters by name, not by tag.
INTEGRATION_SUITES := InteropSuite|ClientIntegrationSuite|ConsolePagesTests
test-fast:
	swift test --skip '$(INTEGRATION_SUITES)'

# Each libFuzzer target (Tests/Fuzz, a package of its own) built with AddressSanitizer and run for
# FUZZ_SECONDS from the golden frames; prints executions and coverage.
FUZZ_SECONDS ?= 60
fuzz:
	$(WITHOUT_CODEC_HEADERS) Tests/Fuzz/run-fuzzers.sh $(FUZZ_SECONDS)

# Each fuzz target for 10 minutes; executions and coverage go to Tests/Fuzz/fuzz-long-summary.tsv.
fuzz-long:
	Tests/Fuzz/run-fuzzers.sh 600 $(CURDIR)/Tests/Fuzz/fuzz-long-summary.tsv

# The crash tests with 50 SIGKILLs instead of 10, and recovery of 1 GiB of log timed, against a
# release build of the broker. Prints the figures that Benchmarks/RESULTS.md records.
crash-test-long: deps
	swift build -c release --product samsa
	SAMSA_CRASH_KILLS=50 SAMSA_RECOVERY_GIB=1 SAMSA_BROKER_EXECUTABLE=$$(swift build -c release --show-bin-path)/samsa \
		swift test --filter CrashRecoveryTests

# The load test at full size for 5 minutes against a release build of the broker: 50 producers and
# 50 consumers in 10 groups of the Swift SDK, two groups of confluent-kafka consumers, a SIGKILL of
# the broker mid-load, and its RSS at the end at most 1.5 times that after warm-up. Prints the
# figures that Benchmarks/RESULTS.md records.
load-test-long: deps
	swift build -c release --product samsa
	SAMSA_LOAD_PRODUCERS=50 SAMSA_LOAD_CONSUMERS=50 SAMSA_LOAD_GROUPS=10 SAMSA_LOAD_CONFLUENT_GROUPS=2 \
		SAMSA_LOAD_SECONDS=300 SAMSA_LOAD_KILLS=1 SAMSA_LOAD_RSS_GROWTH_LIMIT=1.5 \
		SAMSA_BROKER_EXECUTABLE=$$(swift build -c release --show-bin-path)/samsa \
		swift test --filter LoadTests

benchmarks-build:
	$(WITHOUT_CODEC_HEADERS) swift build --package-path Benchmarks

# The README's first command, proved as a user meets it: a Debian bookworm root file system made
# with debootstrap, holding only Swift's documented prerequisites, this machine's Swift toolchain
# and a clean clone of this repository, runs that command; kafka-python then produces to and
# consumes from the broker it started. Takes a release build's time (20 minutes or more); not run by CI.
fresh-machine-test: python-deps
	scripts/fresh-machine-test.sh

# Micro-benchmarks (release build): CRC-32C, batches, gzip, request decoding, append, fetch read;
# with a broker running in the process: console pages, produce requests, the producer's accumulator.
bench-micro:
	cd Benchmarks && swift package --disable-sandbox benchmark

# The end-to-end comparison of issue 8 against Tansu, with the Swift SDK, confluent-kafka and kafka-python
# (Benchmarks/EndToEnd; RESULTS.md records how long it took): prints the table, rewrites the End-to-end section of
# Benchmarks/RESULTS.md and Benchmarks/results-chart.svg. Not run by CI.
bench: deps
	swift build -c release --product samsa
	swift build -c release --product example-producer
	$(PYTHON) Benchmarks/EndToEnd/run_benchmarks.py

build:
	swift build

deps: system-deps python-deps

system-deps:
	@missing=""; \
	for p in $(DEBIAN_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing Debian packages:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
		else \
			echo "Missing Debian packages:$$missing (run as root, or install them with apt-get)"; exit 1; \
		fi; \
	fi

# Each requirements file gets its own folder: kafka-python 2 and 3 both import as `kafka`.
python-deps: $(PYDEPS)/kafka-python-3/.installed $(PYDEPS)/kafka-python-2/.installed $(PYDEPS)/tansu/.installed \
	$(PYDEPS)/client-suites/.installed

$(PYDEPS)/kafka-python-3/.installed: Interop/requirements.txt
	rm -rf $(PYDEPS)/kafka-python-3
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target $(PYDEPS)/kafka-python-3 -r $<
	touch $@

$(PYDEPS)/kafka-python-2/.installed: Interop/requirements-kafka-python-2.txt
	rm -rf $(PYDEPS)/kafka-python-2
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target $(PYDEPS)/kafka-python-2 -r $<
	touch $@

$(PYDEPS)/tansu/.installed: Interop/requirements-tansu.txt
	rm -rf $(PYDEPS)/tansu
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target $(PYDEPS)/tansu -r $<
	touch $@

# pytest and what the clients' own suites import (Interop/client-suites), and kafka-python 3.0.12's
# source distribution, whose integration suite ships in it, with the two harness files it leaves out.
# confluent-kafka-python's suite is not in its distribution and lives in Interop/client-suites.
KAFKA_PYTHON_SOURCE := $(PYDEPS)/client-suites/kafka_python-3.0.12
$(PYDEPS)/client-suites/.installed: Interop/requirements-client-suites.txt $(wildcard Interop/client-suites/kafka-python/harness/test/*)
	rm -rf $(PYDEPS)/client-suites
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target $(PYDEPS)/client-suites -r $<
	$(PYTHON) -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: --dest $(PYDEPS)/client-suites \
		kafka-python==3.0.12
	tar -xzf $(PYDEPS)/client-suites/kafka_python-3.0.12.tar.gz -C $(PYDEPS)/client-suites
	cp Interop/client-suites/kafka-python/harness/test/*.py $(KAFKA_PYTHON_SOURCE)/test/
	touch $@

# Reruns the client compatibility matrix and rewrites Interop/COMPATIBILITY.md and
# Interop/compatibility/results.json (commit both; `swift test` fails when a passing cell fails).
compatibility: deps
	swift build --product samsa
	$(PYTHON) Interop/compatibility/run_matrix.py

# Regenerates Sources/KafkaProtocol/Generated and Tests/KafkaProtocolTests/Generated from Kafka's JSON
# message specs and error table in Specs/ (the generator's defaults).
generate:
	swift run protocol-generator

clean-deps:
	rm -rf $(PYDEPS)
