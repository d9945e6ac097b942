# `make` builds what the plakar package needs (plakar pkg build runs it);
# `make test` and `make demo` are the two commands the README gives.
VERSION ?= v0.1.0
PLAKAR := $(CURDIR)/.cache/bin/plakar
GOOS := $(shell go env GOOS 2>/dev/null || uname -s | tr A-Z a-z)
GOARCH := $(shell go env GOARCH 2>/dev/null || echo amd64)

.PHONY: all build deps plakar test lint demo package packages bench clean

all: build

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund

deps: node_modules/.package-lock.json

build: deps
	npx tsup --silent
	npx tsx scripts/gen-schema.ts

plakar:
	./scripts/install-plakar.sh

lint: deps
	npx biome ci .
	npx tsc --noEmit
	npx knip

test: deps plakar lint
	PLAKAR_BIN=$(PLAKAR) npx vitest run

demo: build plakar
	PLAKAR_BIN=$(PLAKAR) npx tsx scripts/demo.ts

package: build plakar
	$(PLAKAR) pkg create ./manifest.yaml $(VERSION)
	@ls -l scw-secret-manager_$(VERSION)_$(GOOS)_$(GOARCH).ptar

# One .ptar per platform plakar ships for (linux, darwin, freebsd, openbsd), here.
packages: build plakar
	PLAKAR=$(PLAKAR) ./scripts/packages.sh $(VERSION) $(CURDIR)

bench: build
	PLAKAR_BIN=$(PLAKAR) npx tsx bench/run.ts

clean:
	rm -rf dist .cache/e2e *.ptar
