package textcheck_test

import (
	"fmt"

	"github.com/clientele-go/clientele/internal/textcheck"
)

func ExampleLabel() {
	fmt.Println(textcheck.Label("TEA-01", 64), textcheck.Label("TEA\x00", 64), textcheck.Text("Room 3\nBuilding 2", 64))
	// Output: true false true
}
