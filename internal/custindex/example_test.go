package custindex_test

import (
	"fmt"

	"github.com/clientele-go/clientele/internal/custindex"
)

// Spend per customer, folded through a Pipeline and read back in order of
// first appearance.
func Example() {
	type spend struct{ visits, cents int64 }
	type sale struct {
		customer string
		cents    int64
	}
	t := custindex.New[spend](0)
	p := custindex.NewPipeline(t, func(s *sale, r *spend, _ int, _ bool) error {
		r.visits++
		r.cents += s.cents
		return nil
	})
	for _, s := range []sale{{"M-2", 1250}, {"M-1", 990}, {"M-2", 4500}} {
		if err := p.Push(s.customer, s); err != nil {
			fmt.Println(err)
			return
		}
	}
	if err := p.Flush(); err != nil {
		fmt.Println(err)
		return
	}
	for i := range t.Len() {
		fmt.Println(t.ID(i), *t.At(i))
	}
	// Output:
	// M-2 {2 5750}
	// M-1 {1 990}
}
