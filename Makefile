# linksim — build, test and measure. Every target runs from a clean clone.
GO       ?= go
FUZZTIME ?= 3s
COVER    := $(shell mktemp -u /tmp/linksim-cover.XXXXXX)

.PHONY: test vet unit fuzz cover bench lint wasm serve chromium wasmtest webbench screenshots

## test: everything CI runs — vet, race-enabled tests (with the browser end-to-end tests), the WASM
## bridge's tests in headless Chromium, a short run of every fuzz target, coverage.
test: chromium vet unit wasmtest fuzz cover

vet:
	$(GO) vet ./...

unit:
	$(GO) test -race -count=1 ./...

## fuzz: each fuzz target for FUZZTIME (default 3s), starting from its committed corpus.
fuzz:
	@set -e; for pkg in ./flowcore ./internal/plaidapi; do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f ($(FUZZTIME))"; \
	    $(GO) test -run='^$$' -fuzz="^$$f$$" -fuzztime=$(FUZZTIME) $$pkg; \
	  done; \
	done

## cover: flowcore's statement coverage.
cover:
	@$(GO) test -count=1 -coverprofile=$(COVER) ./flowcore >/dev/null
	@$(GO) tool cover -func=$(COVER) | tail -n 1 | sed 's/^total:/flowcore coverage:/'
	@rm -f $(COVER)

## bench: the flowcore benchmarks (ns/op, allocs/op), /auth/get over HTTP, and a load run against a minimal net/http floor.
bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./flowcore
	$(GO) test -run='^$$' -bench=. -benchmem ./internal/plaidapi
	$(GO) run ./cmd/loadgen -duration 8s -conns 50
	$(MAKE) --no-print-directory webbench

## wasm: flowcore for the browser (web/linksim.wasm) and the wasm_exec.js of the same Go; not committed.
wasm:
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o web/linksim.wasm ./wasm
	cp "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" web/wasm_exec.js

## serve: build the WASM, then serve the demo, the Link page and the API on ADDR.
ADDR ?= 127.0.0.1:8080
serve: wasm
	$(GO) run . -addr $(ADDR)

## chromium: install Debian's chromium when no Chromium is on PATH (never a browser a tool downloads).
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  echo "installing chromium from Debian's packages"; \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update && $$sudo apt-get install -y chromium; }

## wasmtest: the WASM bridge's Go tests, run in headless Chromium by wasmbrowsertest.
wasmtest: bin/wasmbrowsertest
	PATH="$(CURDIR)/bin:$$PATH" GOOS=js GOARCH=wasm $(GO) test -count=1 -exec wasmbrowsertest ./wasm

# wasmbrowsertest is built from its own module (go.mod's version): its chromedp is older than ours.
bin/wasmbrowsertest:
	GOBIN="$(CURDIR)/bin" $(GO) install github.com/agnivade/wasmbrowsertest@v0.11.0

## webbench: the .wasm's size (raw, gzip, brotli), navigation→onLoad next to a minimal Go-WASM page,
## and a full Instant Auth flow in headless Chromium (medians).
webbench: chromium wasm
	@command -v brotli >/dev/null 2>&1 || { sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update && $$sudo apt-get install -y brotli; }
	@printf 'linksim.wasm: %d bytes raw, %d gzip -9, %d brotli -q 11\n' \
	  $$(wc -c < web/linksim.wasm) $$(gzip -9 -c web/linksim.wasm | wc -c) $$(brotli -q 11 -c web/linksim.wasm | wc -c)
	$(GO) test -run='^$$' -bench=. -benchtime=21x ./e2e

## screenshots: the README's screenshots, into docs/.
screenshots: chromium
	$(GO) test -count=1 -run='^(TestScreenshots|TestWidgetScreenshots)$$' ./e2e -args -screenshots=$(CURDIR)/docs

## lint: gofmt and go vet must be clean.
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
