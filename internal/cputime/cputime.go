// Package cputime reads the CPU time the process has used, which the
// benchmarks report per operation beside wall time: the shared machines
// they run on are often oversubscribed, which inflates wall time but not
// (much) the CPU time the work itself needs.
package cputime
