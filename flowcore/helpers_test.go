package flowcore

import (
	"time"

	"github.com/linksim/linksim/internal/fixture"
)

// t0 is the tests' fixed time.
var t0 = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// config is a /link/token/create body for auth in the US, with extra
// top-level JSON fields merged in.
var config = fixture.LinkTokenCreate
