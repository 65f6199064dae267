package jsonstrict_test

import (
	"fmt"

	"github.com/clientele-go/clientele/internal/jsonstrict"
)

func ExampleUnknown() {
	type target struct {
		Resolution string `json:"resolution"`
	}
	type policy struct {
		Targets map[string]target `json:"targets"`
	}
	fmt.Println(jsonstrict.Unknown([]byte(`{"targets":{"high":{"resolutoin":"8h"}}}`), policy{}))
	// Output: [targets.high.resolutoin]
}
