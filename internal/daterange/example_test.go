package daterange_test

import (
	"fmt"
	"time"

	"github.com/clientele-go/clientele/internal/daterange"
)

func ExampleContains() {
	legacy := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	typo := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	fmt.Println(daterange.Contains(legacy), daterange.Contains(typo))
	// Output: true false
}
