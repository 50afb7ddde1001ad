//go:build !race

package api_test

// raceDetector is true when the tests run with -race (race_on_test.go).
const raceDetector = false
