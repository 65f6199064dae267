//go:build race

package ledger

// raceEnabled shrinks the model test under the race detector, which makes
// it about ten times slower.
const raceEnabled = true
