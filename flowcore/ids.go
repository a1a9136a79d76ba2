package flowcore

import (
	"encoding/hex"
	"math/rand/v2"
	"sync"
)

// IDSource makes every identifier and random choice in linksim — tokens,
// Item and account ids, request ids, micro-deposit codes — from one
// ChaCha8 stream, a generator whose output does not give its key away. A
// source keyed from a seed (NewIDSource) makes the same ids for the same
// calls; one keyed with 32 secret random bytes (NewKeyedIDSource) makes ids
// nobody can guess. It is safe for concurrent use.
type IDSource struct {
	mu  sync.Mutex
	rng *rand.Rand
}

// NewIDSource returns an IDSource keyed from seed: reproducible, not secret.
func NewIDSource(seed uint64) *IDSource { return NewKeyedIDSource(seedKey(seed)) }

// NewKeyedIDSource returns an IDSource keyed with key. Given 32 bytes from
// crypto/rand, its ids are unguessable.
func NewKeyedIDSource(key [32]byte) *IDSource {
	return &IDSource{rng: rand.New(rand.NewChaCha8(key))}
}

// seedKey spreads a 64-bit seed over a ChaCha8 key (splitmix64), so
// neighbouring seeds give unrelated streams.
func seedKey(seed uint64) [32]byte {
	var key [32]byte
	for i := 0; i < 4; i++ {
		seed += 0x9e3779b97f4a7c15
		z := seed
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		z ^= z >> 31
		for j := 0; j < 8; j++ {
			key[i*8+j] = byte(z >> (8 * j))
		}
	}
	return key
}

// UUID returns a random (version 4) UUID string.
func (s *IDSource) UUID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return RandomUUID(s.rng)
}

func RandomUUID(r *rand.Rand) string {
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		v := r.Uint64()
		for j := 0; j < 8; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}

const alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// ID returns n random letters and digits, the form of Plaid's item_id,
// account_id (37 characters) and request_id (15 characters).
func (s *IDSource) ID(n int) string { return s.pick(alphanumerics, n) }

// Letters returns n random upper-case letters: a micro-deposit code.
func (s *IDSource) Letters(n int) string { return s.pick(alphanumerics[:26], n) }

// Uint64 returns a random number, used to seed child sources.
func (s *IDSource) Uint64() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rng.Uint64()
}

func (s *IDSource) pick(alphabet string, n int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return randomString(s.rng, alphabet, n)
}

func randomString(r *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}
