//go:build race

package secureheaders

const raceEnabled = true
