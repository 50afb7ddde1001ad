//go:build race

package api_test

// raceDetector is true when the tests run with -race, under which sync.Pool
// drops items at random: allocation counts are not the program's.
const raceDetector = true
