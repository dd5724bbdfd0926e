//go:build !race

package timeout

const race = false
