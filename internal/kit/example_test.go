package kit_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/clientele-go/clientele/internal/kit"
)

// ExampleRace races eight goroutines for one slot: exactly one takes it.
func ExampleRace() {
	var mu sync.Mutex
	taken := false
	errTaken := errors.New("taken")
	errs := kit.Race(8, func(int) error {
		mu.Lock()
		defer mu.Unlock()
		if taken {
			return errTaken
		}
		taken = true
		return nil
	})
	winners := 0
	for _, err := range errs {
		if err == nil {
			winners++
		}
	}
	fmt.Println(len(errs), "racers,", winners, "winner")
	// Output: 8 racers, 1 winner
}

// ExampleNames shows the subtest names Run gives rules: grouped by
// method, groups in first-seen order.
func ExampleNames() {
	noop := func(*testing.T, int) {}
	rules := []kit.Rule[int]{
		{Group: "Save", Name: "CreateIsVersionOne", Check: noop},
		{Group: "Get", Name: "MissingIsNotFound", Check: noop},
		{Group: "Save", Name: "StaleVersionIsConflict", Check: noop},
	}
	for _, name := range kit.Names(rules) {
		fmt.Println(name)
	}
	// Output:
	// Save/CreateIsVersionOne
	// Save/StaleVersionIsConflict
	// Get/MissingIsNotFound
}
