// Package parallel splits the passes of segment and metrics/clv over
// goroutines. Every helper returns only after all of its goroutines have
// finished, so none outlives the call that started it, and the pieces a
// range is cut into depend only on the range and the worker count, never
// on scheduling.
package parallel
