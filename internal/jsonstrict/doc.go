// Package jsonstrict names where a JSON document holds keys its Go type
// does not know.
//
// encoding/json's DisallowUnknownFields reports `unknown field "bogus"`
// and stops: it does not say in which object, so a policy or a rule tree
// with the same key at many levels leaves the author searching. Unknown
// walks the document beside the type and returns every unknown key at its
// path ("targets.high.bogus", "rules[3].when.bogus"), in document order,
// the paths jsondup uses for repeated keys. Decode is a strict decode
// that reports both, and bad values, as problems at their paths.
package jsonstrict
