// Package errtree finds errors of one type in an error tree, as built by
// errors.Join and fmt.Errorf with %w. Validation reports every problem at
// once as joined field errors; tests (and hosts) list them with All.
package errtree

// All returns every error of type T in err's tree, depth first in the
// order the tree holds them. It does not look inside a T: a field error
// that wraps a sentinel is found once.
func All[T error](err error) []T {
	var out []T
	var walk func(error)
	walk = func(e error) {
		if t, ok := e.(T); ok {
			out = append(out, t)
			return
		}
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			if x := u.Unwrap(); x != nil {
				walk(x)
			}
		}
	}
	if err != nil {
		walk(err)
	}
	return out
}
