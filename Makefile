# linksim — build, test and measure. Every target runs from a clean clone.
GO       ?= go
FUZZTIME ?= 3s
COVER    := $(shell mktemp -u /tmp/linksim-cover.XXXXXX)

SHELL    := /bin/bash

.PHONY: test test-slow vet unit fuzz cover bench soak lint wasm dist serve chromium wrk node wasmtest webbench screenshots examples npm npmtest npmpack npmslow

## test: everything CI runs — gofmt and vet, race-enabled tests (with the browser end-to-end tests and the
## README's Playwright recipe in Node), the WASM bridge's tests in headless Chromium, the npm packages
## installed with no Go (npmtest), a short run of every fuzz target, coverage; then a summary of what ran
## and passed.
test: chromium node
	@s=$$(mktemp /tmp/linksim-summary.XXXXXX); \
	if $(MAKE) --no-print-directory lint unit examples wasmtest npmtest fuzz cover SUMMARY=$$s; then \
	  printf '\n== make test: all passed ==\n'; cat $$s; rm -f $$s; \
	else printf '\n== make test: FAILED (see above); passed before the failure ==\n'; cat $$s; rm -f $$s; exit 1; fi

## test-slow: the heavier proofs make test leaves out, which must pass too before an issue is
## resolved: every fuzz target for 30s from its corpus, a 60s soak of mixed and hostile load, every
## platform's npm package (npmslow), and a real VitePress build of examples/docs-vitepress read in Chromium.
test-slow: chromium
	$(MAKE) --no-print-directory fuzz FUZZTIME=30s
	$(MAKE) --no-print-directory soak SOAK=60s
	$(MAKE) --no-print-directory npmslow
	LINKSIM_SLOW=1 $(GO) test -count=1 -run 'TestVitePressSite' ./e2e

## npmslow: make npm, then every platform package's binary is checked (built for its os and cpu, the WASM in
## it; this machine's runs --version, -h and dist), and a release build without the WASM must not compile.
npmslow: npm
	LINKSIM_NPM_DIR=dist/npm node --test --test-reporter=spec npm/test/platforms.test.mjs
	@o=$$(mktemp); log=$$(mktemp); echo '{"Replace":{"$(CURDIR)/web/linksim.wasm":""}}' > $$o; \
	if $(GO) build -tags release -overlay $$o -o /dev/null . >$$log 2>&1; then \
	  echo "a release build without web/linksim.wasm compiled"; rm -f $$o $$log; exit 1; fi; \
	grep -q 'linksim.wasm' $$log || { cat $$log; rm -f $$o $$log; exit 1; }; \
	echo "a release build without web/linksim.wasm fails: $$(grep -m1 linksim.wasm $$log)"; rm -f $$o $$log

# note adds a line to make test's summary (when one is being written).
SUMMARY ?=
note = test -z "$(SUMMARY)" || echo "$(1)" >> "$(SUMMARY)"

vet:
	$(GO) vet ./...
	@$(call note,vet: go vet ./... clean)

## unit: every Go test with the race detector, the Chromium e2e tests and the Node Playwright test included.
unit:
	@log=$$(mktemp); set -o pipefail; \
	LINKSIM_NODE=1 $(GO) test -race -count=1 ./... 2>&1 | tee $$log; st=$$?; \
	n=$$(grep -c '^ok' $$log); rm -f $$log; [ $$st = 0 ] || exit $$st; \
	$(call note,unit: $$n packages passed (go test -race ./...: flowcore$(,) API$(,) linksimtest$(,) Chromium e2e$(,) Playwright recipe in Node))

, := ,

## examples: the README's complete examples, each its own module (go test ./... from the root skips them).
examples:
	cd examples/go-backend && $(GO) vet ./... && $(GO) test -count=1 ./...
	@$(call note,examples: examples/go-backend (an app's backend and its tests against linksimtest) passed)

## fuzz: each fuzz target for FUZZTIME (default 3s), starting from its committed corpus; one line each.
## Go 1.26's fuzz coordinator can fail a target with a bare "context deadline exceeded" as FUZZTIME ends,
## having found nothing (go.dev/issue/75804, fixed in Go 1.27): such a run, which writes no failing
## input, is run once more; a written failing input fails at once.
fuzz:
	@for pkg in ./internal/jsoncodec ./flowcore ./internal/sandbox ./internal/plaidapi; do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    log=$$(mktemp); retried=""; \
	    for try in 1 2; do \
	      if $(GO) test -run='^$$' -fuzz="^$$f$$" -fuzztime=$(FUZZTIME) $$pkg >$$log 2>&1; then break; fi; \
	      if [ $$try = 1 ] && grep -q 'context deadline exceeded' $$log && ! grep -q 'Failing input written' $$log; then \
	        retried=" (run again after go.dev/issue/75804's deadline race)"; continue; fi; \
	      cat $$log; rm -f $$log; echo "fuzz $$pkg $$f: FAILED"; exit 1; \
	    done; \
	    line="fuzz $$pkg $$f: passed, $$(grep -o 'execs: [0-9]*' $$log | tail -n 1 | cut -d' ' -f2) inputs in $(FUZZTIME)$$retried"; \
	    rm -f $$log; echo "$$line"; $(call note,$$line); \
	  done; \
	done

## cover: statement coverage of the model (the JSON codec, the rules, the store, the API model: each by the
## tests of all four, since the sandbox's tests drive the rules' sessions) and of the packages around it.
MODEL := ./internal/jsoncodec ./flowcore ./internal/store ./internal/sandbox
cover:
	@$(GO) test -count=1 -coverpkg=$$(echo $(MODEL) | tr ' ' ',') -coverprofile=$(COVER) $(MODEL) >/dev/null
	@awk -F'[: ]' 'NR > 1 { k = $$1 ":" $$2; n[k] = $$3; if ($$4 > 0) hit[k] = 1 } \
	  END { for (k in n) { split(k, p, ":"); d = p[1]; sub("/[^/]*$$", "", d); sub("github.com/linksim/linksim/", "", d); \
	    all[d] += n[k]; if (k in hit) got[d] += n[k] } \
	    for (d in all) printf "coverage: %s %.1f%% (by the model'"'"'s tests)\n", d, 100 * got[d] / all[d] }' $(COVER) | sort | \
	  while read -r line; do echo "$$line"; $(call note,$$line); done
	@rm -f $(COVER)
	@$(GO) test -count=1 -cover $$($(GO) list ./internal/... ./linksimtest | grep -v -e /jsoncodec -e /store -e /sandbox) | \
	  awk '/^ok.*coverage:/ && !/no statements/ {sub("github.com/linksim/linksim/", "", $$2); print "coverage: " $$2 " " $$(NF-2)}' | \
	  while read -r line; do echo "$$line"; $(call note,$$line); done

## bench: the flowcore benchmarks (ns/op, allocs/op), /auth/get over HTTP, and load runs against a minimal
## net/http floor: on a fresh store (with Go's client, then with wrk as the load generator, which needs
## less CPU than the servers: both ratios are printed), then on a full one (40,000 link tokens, 10,000 Items).
bench: wrk
	$(GO) test -run='^$$' -bench=. -benchmem ./flowcore ./internal/jsoncodec ./internal/store ./internal/sandbox
	$(GO) test -run='^$$' -bench=. -benchmem ./internal/plaidapi
	$(GO) run ./cmd/loadgen -duration 8s -rounds 16 -conns 50 -wrk
	$(GO) run ./cmd/loadgen -duration 8s -rounds 16 -conns 50 -fill 40000
	$(MAKE) --no-print-directory webbench

## soak: mixed load, bad input and session guessing against an in-process server on loopback for
## SOAK (default 30s); then the same against linksim run as its own process (its RSS alone against
## its -memory budget) followed by the hostile cases: stalled uploads, idle connections filling
## -max-conns, 1,000 webhook origins that never answer, and a SIGTERM that must exit 0. Prints RSS,
## throughput, failures and anything lost, and fails on any.
SOAK ?= 30s
soak:
	$(GO) run ./cmd/soak -duration $(SOAK)
	$(GO) run ./cmd/soak -process -duration $(SOAK)

## wasm: flowcore for the browser (web/linksim.wasm) and the wasm_exec.js of the same Go; not committed.
## WASMFLAGS (e2e/main_test.go has a copy): no inlining outside the runtime (-l) makes it 5% smaller gzipped.
WASMFLAGS := -trimpath -gcflags=all=-l -gcflags=runtime= -ldflags='-s -w'
wasm:
	GOOS=js GOARCH=wasm $(GO) build $(WASMFLAGS) -o web/linksim.wasm ./wasm
	cp "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" web/wasm_exec.js

## npm: linksim's npm packages as npm pack tarballs in dist/npm/: linksim (the static site, the linksim
## command, the Playwright helper) and one package per platform with its prebuilt server
## (@linksim/linux-x64, …: each cross-compiled with the WASM built in), as esbuild ships its binaries.
VERSION       := $(shell cat VERSION)
NPM_PLATFORMS := linux-x64 linux-arm64 darwin-x64 darwin-arm64 win32-x64 win32-arm64
HOST_PLATFORM  = $(shell node -p 'process.platform + "-" + process.arch')
RELEASEFLAGS  := -trimpath -tags release -ldflags='-s -w -X main.version=$(VERSION)'
npm:
	$(MAKE) --no-print-directory npmpack PLATFORMS="$(NPM_PLATFORMS)" NPMOUT=dist/npm

# npmpack builds the release binaries of PLATFORMS (GOOS and GOARCH from Node's names), writes the static
# site with this machine's binary (linksim dist) and packs the packages into NPMOUT.
npmpack: wasm
	@[ -n "$(PLATFORMS)" ] && [ -n "$(NPMOUT)" ] || { echo "npmpack needs PLATFORMS and NPMOUT (use make npm)"; exit 1; }
	rm -rf $(NPMOUT) && mkdir -p $(NPMOUT)/bin
	@for p in $(PLATFORMS); do \
	  os=$${p%-*}; arch=$${p#*-}; ext=""; \
	  [ $$os = win32 ] && os=windows && ext=.exe; [ $$arch = x64 ] && arch=amd64; \
	  echo "GOOS=$$os GOARCH=$$arch go build -o $(NPMOUT)/bin/linksim-$$p$$ext"; \
	  CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build $(RELEASEFLAGS) -o $(NPMOUT)/bin/linksim-$$p$$ext . || exit 1; \
	done
	$(NPMOUT)/bin/linksim-$(HOST_PLATFORM) dist -precompress=false $(NPMOUT)/site >/dev/null
	node npm/pack.mjs -version $(VERSION) -bin $(NPMOUT)/bin -site $(NPMOUT)/site -out $(NPMOUT) $(PLATFORMS)
	rm -rf $(NPMOUT)/bin $(NPMOUT)/site

## npmtest: this machine's platform package and linksim's, packed into bin/npm and installed from the tarballs
## (with examples/playwright, a @playwright/test project whose webServer entries start linksim and its app)
## into a fresh project with no Go on PATH: npx linksim, a Playwright flow through linksim/playwright, the
## widget from linksim/dist on a plain static server, tsc on the types (npm/test/).
npmtest: chromium
	@$(MAKE) --no-print-directory npmpack PLATFORMS=$(HOST_PLATFORM) NPMOUT=bin/npm >/dev/null
	LINKSIM_NPM_DIR=bin/npm node --test --test-reporter=spec npm/test/npm.test.mjs npm/test/examples.test.mjs
	@$(call note,npm: linksim and @linksim/$(HOST_PLATFORM) installed from their tarballs with no Go on PATH: npx linksim$(,) Playwright through linksim/playwright$(,) the widget from linksim/dist$(,) tsc$(,) examples/playwright with @playwright/test)

## dist: the static site, ready to copy to any host, in dist/: content-hashed WASM, wasm_exec.js and
## link.css, each file with .gz and .br siblings where they are smaller (README: "Serving it from a static host").
dist: wasm
	$(GO) run ./cmd/dist -web web -out dist

## serve: build the WASM, then serve the demo, the Link page (live from web/, so edits show on
## reload) and the API on ADDR.
ADDR ?= 127.0.0.1:8080
serve: wasm
	$(GO) run . -addr $(ADDR) -web web

## chromium: install Debian's chromium when no Chromium is on PATH (never a browser a tool downloads).
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  echo "installing chromium from Debian's packages"; \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update && $$sudo apt-get install -y chromium; }

## wrk: install Debian's wrk (make bench's load generator) when it is not on PATH.
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "installing wrk from Debian's packages"; \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update && $$sudo apt-get install -y wrk; }

## wasmtest: the WASM bridge's Go tests, run in headless Chromium by wasmbrowsertest.
wasmtest: bin/wasmbrowsertest
	PATH="$(CURDIR)/bin:$$PATH" GOOS=js GOARCH=wasm $(GO) test -count=1 -exec wasmbrowsertest ./wasm
	@$(call note,wasmtest: the WASM bridge's tests passed in headless Chromium)

## node: the Playwright recipe's pinned playwright-core and the e2e tests' axe-core (e2e/node/package-lock.json), never a
## downloaded browser: it drives Debian's chromium.
node: e2e/node/node_modules/.package-lock.json

e2e/node/node_modules/.package-lock.json: e2e/node/package.json e2e/node/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "make test needs Node.js 20 and npm (Debian: apt-get install nodejs npm)"; exit 1; }
	cd e2e/node && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund

# wasmbrowsertest is built from its own module (go.mod's version): its chromedp is older than ours.
bin/wasmbrowsertest:
	GOBIN="$(CURDIR)/bin" $(GO) install github.com/agnivade/wasmbrowsertest@v0.11.0

## webbench: the .wasm's size (raw, gzip, brotli), cold navigation→onLoad (each load in a fresh browser
## context) interleaved with a minimal Go-WASM page and their ratio, and a full Instant Auth flow in
## headless Chromium (medians).
webbench: chromium wasm
	$(GO) test -run='^$$' -bench=. -benchtime=21x ./e2e

## screenshots: the README's screenshots, into docs/.
screenshots: chromium
	$(GO) test -count=1 -run='^(TestScreenshots|TestWidgetScreenshots)$$' ./e2e -args -screenshots=$(CURDIR)/docs

## lint: gofmt and go vet must be clean.
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	@$(call note,lint: gofmt and go vet ./... clean)
