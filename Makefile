# MicroChat: `make run` starts the local stack, `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

JAVA_HOME := $(shell scripts/find-jdk)
ifeq ($(JAVA_HOME),)
$(error No JDK >= 21 found: set JAVA_HOME or install one under /usr/lib/jvm)
endif
export JAVA_HOME
export PATH := $(JAVA_HOME)/bin:$(PATH)

MVN ?= mvn
MVN_FLAGS ?= -B -ntp

.PHONY: help build test run cli bench idle-footprint soak crd manifests images clean browser

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

build: ## compile and package every module, skipping tests
	$(MVN) $(MVN_FLAGS) -DskipTests package

test: browser ## run every test (unit, integration, end-to-end in headless Chromium)
	$(MVN) $(MVN_FLAGS) verify

browser: ## install Debian's chromium and chromium-driver when missing (the browser tests need them)
	@scripts/ensure-browser

run: build ## start Redis, the MongoDB-protocol store, auth and two chat instances; Ctrl-C stops them
	MICROCHAT_ROOT=$(CURDIR) $(JAVA_HOME)/bin/java -jar devstack/target/microchat-devstack.jar

cli: ## the terminal client against the local stack (make run first); AUTH_URL and CHAT_URL override
	$(JAVA_HOME)/bin/java -jar cli/target/microchat-cli.jar --auth $${AUTH_URL:-http://127.0.0.1:8081} --chat $${CHAT_URL:-ws://127.0.0.1:8082/ws}

# The services run with the JVM of a chat pod: its 512 MiB limit, the image's heap settings, and the serial
# collector, which is what the JVM picks itself in a pod that small.
BENCH_SERVER_JVM ?= -XX:MaxRAM=512m -XX:MaxRAMPercentage=75.0 -XX:InitialRAMPercentage=25.0 -XX:+UseSerialGC

bench: build ## the load benchmark on the local stack, or on running services (BENCH_ARGS, see docs/benchmark.md)
	MICROCHAT_JVM_OPTS="$(BENCH_SERVER_JVM)" $(JAVA_HOME)/bin/java -Xmx2g -XX:MaxGCPauseMillis=10 -jar bench/target/microchat-bench.jar --root $(CURDIR) $(BENCH_ARGS)

# The bare Helidon relay of the peer benchmark, measured beside MicroChat by `make idle-footprint` when present.
PEER_BENCH ?= ../shared/peer-bench

idle-footprint: build ## bytes per idle connection from class histograms, MicroChat's beside a bare Helidon relay's (IDLE_ARGS)
	@floor=""; if [ -f "$(PEER_BENCH)/floor/pom.xml" ]; then \
	  rm -rf bench/target/helidon-floor && cp -r "$(PEER_BENCH)/floor" bench/target/helidon-floor && chmod -R u+w bench/target/helidon-floor && \
	  $(MVN) $(MVN_FLAGS) -q -f bench/target/helidon-floor/pom.xml -DskipTests package && \
	  floor="--floor-jar bench/target/helidon-floor/target/helidon-floor.jar"; \
	else echo "no $(PEER_BENCH)/floor: MicroChat alone"; fi; \
	MICROCHAT_JVM_OPTS="$(BENCH_SERVER_JVM)" $(JAVA_HOME)/bin/java -Xmx1g -cp bench/target/microchat-bench.jar io.microchat.bench.idle.IdleFootprint --root $(CURDIR) $$floor $(IDLE_ARGS)

soak: build ## 3 chat instances under traffic and chaos (kill -9, SIGTERM, Redis, store pauses) for 10 min; SOAK_ARGS, e.g. --duration 120
	MICROCHAT_JVM_OPTS="$(BENCH_SERVER_JVM)" $(JAVA_HOME)/bin/java -Xmx1g -cp bench/target/microchat-bench.jar io.microchat.bench.soak.Soak --root $(CURDIR) $(SOAK_ARGS)

crd: ## regenerate the MicroChat CRD from the operator's Java classes into k8s/crd/
	$(MVN) $(MVN_FLAGS) -q -pl operator -am -DskipTests process-classes
	cp operator/target/classes/META-INF/fabric8/microchats.microchat.io-v1.yml k8s/crd/

manifests: crd ## write k8s/operator/ and the chart's CRD from the chart's defaults and the generated CRD
	cp k8s/crd/microchats.microchat.io-v1.yml charts/microchat/files/
	$(MVN) $(MVN_FLAGS) -q -pl charts -am test -Dtest=PlainManifestsTest -Dsurefire.failIfNoSpecifiedTests=false \
		-Dmicrochat.updateManifests=true

images: ## build the auth, chat and operator images with JKube (needs a Docker daemon); REGISTRY=registry.example.com/ to name them for a registry
	$(MVN) $(MVN_FLAGS) -DskipTests -Dimage.registry=$(REGISTRY) -pl services/auth,services/chat,operator -am package k8s:build

clean: ## remove build output (keeps ./data)
	$(MVN) $(MVN_FLAGS) clean
