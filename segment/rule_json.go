package segment

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/clientele-go/clientele/internal/jsondup"
)

// Rule JSON. A rule is
//
//	{"version": 1, "name": "...", "rule": NODE}
//
// and a NODE is an object with exactly one key: "and" or "or" with a
// list of nodes, "not" with one node, or a leaf's key with its fields:
//
//	{"and": [
//	  {"spent": {"min": "100.00", "days": 30}},
//	  {"not": {"lifecycle": {"in": ["lapsed"]}}}
//	]}
//
// Decoding is strict: unknown keys and fields are errors, a key given
// twice in one object is an error (not "last wins"), and every problem in
// the document is reported at once, each with its path.

// leafDecoders makes an empty leaf for each JSON key.
var leafDecoders = map[string]func(json.RawMessage) (Node, error){
	"gender":         decodeLeaf[Gender],
	"age":            decodeLeaf[Age],
	"city":           decodeLeaf[City],
	"tags":           decodeLeaf[Tags],
	"tier":           decodeLeaf[Tier],
	"memberSince":    decodeLeaf[MemberSince],
	"birthdayWithin": decodeLeaf[BirthdayWithin],
	"birthdayMonth":  decodeLeaf[BirthdayMonth],
	"spent":          decodeLeaf[Spent],
	"purchases":      decodeLeaf[Purchases],
	"bought":         decodeLeaf[Bought],
	"lastPurchase":   decodeLeaf[LastPurchase],
	"channelShare":   decodeLeaf[ChannelShare],
	"storeShare":     decodeLeaf[StoreShare],
	"points":         decodeLeaf[Points],
	"pointsExpiring": decodeLeaf[PointsExpiring],
	"rfmSegment":     decodeLeaf[RFMSegment],
	"lifecycle":      decodeLeaf[Lifecycle],
	"nps":            decodeLeaf[NPS],
}

// LeafKeys returns the JSON keys of every leaf type, sorted.
func LeafKeys() []string {
	keys := make([]string, 0, len(leafDecoders))
	for k := range leafDecoders {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func decodeLeaf[T Node](raw json.RawMessage) (Node, error) {
	var v T
	if err := strictDecode(raw, &v); err != nil {
		return nil, err
	}
	return v, nil
}

// duplicateKeys reports every key given twice in one object of data,
// at its JSON path under prefix: encoding/json would keep the last
// silently.
func duplicateKeys(data []byte, prefix string, p *problems) {
	for _, path := range jsondup.Duplicates(data) {
		p.add(prefix+path, "is given twice")
	}
}

// strictDecode decodes one JSON value into v, refusing unknown fields and
// trailing data.
func strictDecode(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

type ruleJSON struct {
	Version int             `json:"version"`
	Name    string          `json:"name,omitempty"`
	Rule    json.RawMessage `json:"rule"`
}

// ParseRule decodes a rule strictly and validates it, reporting every
// problem at once (errors.Is(err, ErrInvalid) holds).
func ParseRule(data []byte) (Rule, error) {
	var r Rule
	if err := r.UnmarshalJSON(data); err != nil {
		return Rule{}, err
	}
	if err := r.Validate(); err != nil {
		return Rule{}, err
	}
	return r, nil
}

// UnmarshalJSON decodes a rule strictly. It checks the structure; call
// Validate (or use ParseRule) for the values.
func (r *Rule) UnmarshalJSON(data []byte) error {
	var doc ruleJSON
	if err := strictDecode(data, &doc); err != nil {
		return &FieldError{Field: "rule", Problem: "bad JSON: " + err.Error()}
	}
	var p problems
	duplicateKeys(data, "", &p)
	root := parseNode(doc.Rule, "rule", 0, &p)
	if err := p.err(); err != nil {
		return err
	}
	*r = Rule{Version: doc.Version, Name: doc.Name, Root: root}
	return nil
}

func parseNode(raw json.RawMessage, path string, depth int, p *problems) Node {
	if depth > maxDepth {
		p.add(path, "nested deeper than %d", maxDepth)
		return nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || len(obj) != 1 {
		p.add(path, "want an object with exactly one key (and, or, not or a leaf: %s)", strings.Join(LeafKeys(), ", "))
		return nil
	}
	for key, body := range obj {
		return parseKeyed(key, body, path+"."+key, depth, p)
	}
	return nil
}

func parseKeyed(key string, body json.RawMessage, path string, depth int, p *problems) Node {
	switch key {
	case "and", "or":
		var list []json.RawMessage
		if err := json.Unmarshal(body, &list); err != nil {
			p.add(path, "want a list of nodes")
			return nil
		}
		kids := make([]Node, len(list))
		for i, k := range list {
			kids[i] = parseNode(k, fmt.Sprintf("%s[%d]", path, i), depth+1, p)
		}
		if key == "and" {
			return &And{Nodes: kids}
		}
		return &Or{Nodes: kids}
	case "not":
		return &Not{Node: parseNode(body, path, depth+1, p)}
	}
	dec, ok := leafDecoders[key]
	if !ok {
		p.add(path, "unknown node (want and, or, not or a leaf: %s)", strings.Join(LeafKeys(), ", "))
		return nil
	}
	n, err := dec(body)
	if err != nil {
		p.add(path, "%v", err)
		return nil
	}
	return n
}

// MarshalJSON encodes the rule in the format ParseRule reads.
func (r Rule) MarshalJSON() ([]byte, error) {
	root, err := marshalNode(r.Root)
	if err != nil {
		return nil, err
	}
	return json.Marshal(ruleJSON{Version: r.Version, Name: r.Name, Rule: root})
}

func marshalNode(n Node) (json.RawMessage, error) {
	if isNil(n) {
		return nil, &FieldError{Field: "rule", Problem: "missing node"}
	}
	var body any
	switch v := n.(type) {
	case *And:
		kids, err := marshalKids(v.Nodes)
		if err != nil {
			return nil, err
		}
		body = kids
	case *Or:
		kids, err := marshalKids(v.Nodes)
		if err != nil {
			return nil, err
		}
		body = kids
	case *Not:
		kid, err := marshalNode(v.Node)
		if err != nil {
			return nil, err
		}
		body = kid
	default:
		body = v
	}
	return json.Marshal(map[string]any{n.key(): body})
}

func marshalKids(nodes []Node) ([]json.RawMessage, error) {
	out := make([]json.RawMessage, len(nodes))
	for i, k := range nodes {
		b, err := marshalNode(k)
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}
