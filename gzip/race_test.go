//go:build race

package gzip

// race is true under the race detector, whose sync.Pool drops items at
// random, so allocation counts mean nothing.
const race = true
