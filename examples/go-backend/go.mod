module example.com/linksim-go-backend

go 1.26.8

require (
	github.com/linksim/linksim v0.0.0
	github.com/plaid/plaid-go/v20 v20.1.0
)

require (
	github.com/andybalholm/brotli v1.2.8 // indirect
	github.com/go-jose/go-jose/v4 v4.1.9 // indirect
	github.com/golang/protobuf v1.5.2 // indirect
	golang.org/x/net v0.62.0 // indirect
	golang.org/x/oauth2 v0.0.0-20220822191816-0ebed06d0094 // indirect
	golang.org/x/sync v0.24.0 // indirect
	google.golang.org/appengine v1.6.7 // indirect
	google.golang.org/protobuf v1.28.1 // indirect
)

// The example runs against this checkout; an app outside it requires a
// released version instead.
replace github.com/linksim/linksim => ../..
