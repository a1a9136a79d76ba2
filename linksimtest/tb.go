package linksimtest

import (
	"fmt"
	"slices"
	"sync"
)

// TB is what linksimtest needs of a test: *testing.T, *testing.B and
// *testing.F are TBs. A failure ends the test through Fatalf; the server
// is closed through Cleanup.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// Standalone is a TB for code that runs without a test, such as runnable
// examples and tools: Fatalf panics with the message, and Close runs the
// cleanups (closing the servers) in reverse order.
type Standalone struct {
	mu       sync.Mutex
	cleanups []func()
}

// Helper does nothing.
func (*Standalone) Helper() {}

// Fatalf panics with the formatted message.
func (*Standalone) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }

// Cleanup registers f to run at Close.
func (s *Standalone) Cleanup(f func()) {
	s.mu.Lock()
	s.cleanups = append(s.cleanups, f)
	s.mu.Unlock()
}

// Close runs the registered cleanups, the last registered first.
func (s *Standalone) Close() {
	s.mu.Lock()
	fs := s.cleanups
	s.cleanups = nil
	s.mu.Unlock()
	for _, f := range slices.Backward(fs) {
		f()
	}
}
