package kit

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Broken is a store that breaks one sentence of a contract on purpose, and
// the rule of the kit that must catch it, as "Group/Name".
type Broken[S any] struct {
	Name, Rule string
	Store      func() S
}

// RunBroken is the body of the child process's test: with the environment
// variable env unset it skips; set, it runs the kit (run) on each broken
// store in a subtest named after it, and so fails. The kit's rules fail
// in the child, not in the test that watches them, because a failing
// subtest cannot be observed from its parent without failing it too.
func RunBroken[S any](t *testing.T, env string, broken []Broken[S], run func(t *testing.T, newStore func(*testing.T) S)) {
	if os.Getenv(env) == "" {
		t.Skip("runs in the child process of the test that catches broken stores")
	}
	for _, b := range broken {
		t.Run(b.Name, func(t *testing.T) {
			run(t, func(*testing.T) S { return b.Store() })
		})
	}
}

// CatchesBroken re-runs the test binary as a child process running only
// the test named child (whose body is RunBroken) with env set, and
// requires that the child fails and that each broken store failed the
// rule it breaks. It skips in the child process itself.
func CatchesBroken[S any](t *testing.T, env, child string, broken []Broken[S]) {
	t.Helper()
	if os.Getenv(env) != "" {
		t.Skip("this is the child process")
	}
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^"+child+"$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), env+"=1")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "the child process should fail, output:\n%s", out)
	for _, b := range broken {
		want := "--- FAIL: " + child + "/" + b.Name + "/" + b.Rule + " "
		assert.Truef(t, strings.Contains(string(out), want), "the kit let %s pass %s", b.Name, b.Rule)
	}
	if t.Failed() {
		t.Logf("child output:\n%s", out)
	}
}
