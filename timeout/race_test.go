//go:build race

package timeout

// race is true under the race detector, whose sync.Pool drops items at
// random and whose instrumentation changes escape analysis, so allocation
// counts mean nothing there (CI counts them in its run without -race).
const race = true
