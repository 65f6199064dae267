// Package jsondup finds keys given twice in one JSON object.
//
// encoding/json keeps the last of two equal keys without a word, so a
// configuration that says {"min": "10", "min": "1000"} silently means the
// second. Strict parsers (segment rules, SLA policies, metric options)
// call Duplicates first and refuse such documents.
package jsondup

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Duplicates returns the path of every key that repeats an earlier key
// of the same object, in document order: object keys joined with ".",
// array elements as "[i]" ("rule.and[1].spent.min"). It stops quietly at
// the first syntax error, which the caller's own decoding reports.
func Duplicates(data []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out []string
	var value func(path string) error
	value = func(path string) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'):
			seen := map[string]bool{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				k, _ := kt.(string)
				name := k
				if name == "" {
					name = `""` // an empty key still needs a visible path
				}
				p := name
				if path != "" {
					p = path + "." + name
				}
				if seen[k] {
					out = append(out, p)
				}
				seen[k] = true
				if err := value(p); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		case json.Delim('['):
			for i := 0; dec.More(); i++ {
				if err := value(fmt.Sprintf("%s[%d]", path, i)); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		}
		return nil
	}
	_ = value("") // a syntax error is the caller's decoder's to report
	return out
}
