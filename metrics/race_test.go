//go:build race

package metrics

// raceEnabled is true under -race, which makes the cardinality scan ten
// times shorter: the race detector slows each request about tenfold.
const raceEnabled = true
