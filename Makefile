# linksim — build, test and measure. Every target runs from a clean clone.
GO       ?= go
FUZZTIME ?= 3s
COVER    := $(shell mktemp -u /tmp/linksim-cover.XXXXXX)

.PHONY: test vet unit fuzz cover bench lint

## test: everything CI runs — vet, race-enabled tests, a short run of every fuzz target, coverage.
test: vet unit fuzz cover

vet:
	$(GO) vet ./...

unit:
	$(GO) test -race -count=1 ./...

## fuzz: each fuzz target for FUZZTIME (default 3s), starting from its committed corpus.
fuzz:
	@set -e; for pkg in ./flowcore; do \
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

## bench: the flowcore benchmarks (ns/op, allocs/op).
bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./flowcore

## lint: gofmt and go vet must be clean.
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
