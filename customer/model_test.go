package customer_test

import (
	"flag"
	"testing"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/customer/customertest"
)

var (
	longModel = flag.Bool("customer.long", false, "run the long form of the customer model: 10,000 sequences")
	modelSeed = flag.Uint64("customer.seed", 0, "seed of the customer model's first sequence (0: random)")
	modelRuns = flag.Int("customer.sequences", 0, "sequences of the customer model (0: 10,000 with -customer.long, else 200, 20 with -short)")
)

// The identity model over the memory store: random registrations,
// identity changes, racing and resumed merges and erasures from several
// goroutines, with every identity checked after every round (see
// customertest.Model). The seed is logged; a failure names the seed that
// replays its sequence.
func TestIdentityModel(t *testing.T) {
	opts := customertest.ModelOptions{Seed: *modelSeed, Sequences: *modelRuns}
	switch {
	case opts.Sequences > 0:
	case *longModel:
		opts.Sequences = 10_000
	case testing.Short():
		opts.Sequences = 20
	default:
		opts.Sequences = 200
	}
	customertest.Model(t, func(*testing.T) customer.Store { return customer.NewMemoryStore() }, opts)
}
