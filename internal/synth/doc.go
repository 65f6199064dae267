// Package synth generates a synthetic shop — customers with birthdays and
// consents, purchases with weekly and yearly seasonality across stores,
// channels, categories, brands and SKUs, and returns — deterministically
// from a seed. Everything streams through iter.Seq2 in the order the
// customer.Store contract uses (customers by ID, purchases and returns by
// time), so ten million purchases never sit in memory at once. It exists
// for tests and benchmarks of the analytics packages.
package synth
