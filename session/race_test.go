//go:build race

package session

// The race detector makes sync.Pool drop items, so allocation counts are
// only asserted without it.
const raceEnabled = true
