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

.PHONY: help build test run clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

build: ## compile and package every module, skipping tests
	$(MVN) $(MVN_FLAGS) -DskipTests package

test: ## run every test (unit, integration, end-to-end)
	$(MVN) $(MVN_FLAGS) verify

run: build ## start Redis, the MongoDB-protocol store, auth and two chat instances; Ctrl-C stops them
	MICROCHAT_ROOT=$(CURDIR) $(JAVA_HOME)/bin/java -jar devstack/target/microchat-devstack.jar

clean: ## remove build output (keeps ./data)
	$(MVN) $(MVN_FLAGS) clean
