package segment

import (
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"strings"
	"time"
)

// RuleVersion is the JSON format version of Rule this package reads.
const RuleVersion = 1

// maxDepth bounds the nesting of a rule, so that hostile JSON cannot
// exhaust the stack.
const maxDepth = 32

// Rule is a named, versioned rule tree: and/or/not over typed leaves.
// It loads from strict JSON (ParseRule) and is built in Go with AllOf,
// AnyOf, Not and the leaf types.
type Rule struct {
	Version int
	Name    string
	Root    Node
}

// Node is a node of a rule tree: *And, *Or, *Not or a leaf (Gender, Age,
// City, Tags, Tier, MemberSince, BirthdayWithin, BirthdayMonth, Spent,
// Purchases, Bought, LastPurchase, ChannelShare, StoreShare, Points,
// PointsExpiring, RFMSegment, Lifecycle, NPS).
type Node interface {
	// key is the node's JSON key.
	key() string
	// check appends every problem of the node (and its children) to p.
	check(path string, depth int, p *problems)
	// compile returns the node ready to evaluate under e.
	compile(e *env) (cnode, error)
}

// And matches when every child matches.
type And struct{ Nodes []Node }

// Or matches when any child matches.
type Or struct{ Nodes []Node }

// Not matches when its child does not.
type Not struct{ Node Node }

// AllOf returns an And node.
func AllOf(nodes ...Node) *And { return &And{Nodes: nodes} }

// AnyOf returns an Or node.
func AnyOf(nodes ...Node) *Or { return &Or{Nodes: nodes} }

// NotOf returns a Not node.
func NotOf(n Node) *Not { return &Not{Node: n} }

func (*And) key() string { return "and" }
func (*Or) key() string  { return "or" }
func (*Not) key() string { return "not" }

func checkKids(path string, depth int, kids []Node, p *problems) {
	if depth > maxDepth {
		p.add(path, "nested deeper than %d", maxDepth)
		return
	}
	if len(kids) == 0 {
		p.add(path, "has no children")
	}
	for i, k := range kids {
		checkNode(fmt.Sprintf("%s[%d]", path, i), depth+1, k, p)
	}
}

func checkNode(path string, depth int, n Node, p *problems) {
	if isNil(n) {
		p.add(path, "missing node")
		return
	}
	n.check(path+"."+n.key(), depth, p)
}

// isNil reports a nil Node, including a typed nil pointer.
func isNil(n Node) bool {
	switch v := n.(type) {
	case nil:
		return true
	case *And:
		return v == nil
	case *Or:
		return v == nil
	case *Not:
		return v == nil
	}
	return false
}

func (n *And) check(path string, depth int, p *problems) { checkKids(path, depth, n.Nodes, p) }
func (n *Or) check(path string, depth int, p *problems)  { checkKids(path, depth, n.Nodes, p) }
func (n *Not) check(path string, depth int, p *problems) {
	if depth > maxDepth {
		p.add(path, "nested deeper than %d", maxDepth)
		return
	}
	checkNode(path, depth+1, n.Node, p)
}

// Validate reports every problem of the rule at once.
func (r Rule) Validate() error {
	var p problems
	if r.Version != RuleVersion {
		p.add("rule.version", "is %d, want %d", r.Version, RuleVersion)
	}
	checkNode("rule", 0, r.Root, &p)
	return p.err()
}

// EvalOptions configures evaluation. nil means UTC, two decimals and
// DefaultLifecycle.
type EvalOptions struct {
	Location *time.Location
	// Currency fixes the minor unit of money thresholds (ScaleOf); it must
	// be the facts' currency. Empty means two decimals.
	Currency  string
	Lifecycle *LifecycleConfig
}

// env is what compiled leaves read besides the facts.
type env struct {
	asOf  time.Time
	loc   *time.Location
	day   int32 // asOf's calendar day in loc
	scale int32
	life  LifecycleConfig
}

// windowStart is the first day of a window of the last n days (asOf's
// day included); n == 0 means all history.
func (e *env) windowStart(n int) int32 {
	if n == 0 {
		return math.MinInt32
	}
	return e.day - int32(n) + 1
}

// Matcher is a rule compiled for one analysis date. It is immutable and
// safe for concurrent use.
type Matcher struct {
	rule Rule
	root cnode
	env  env
}

// Compile validates the rule and prepares it for evaluation at asOf, which
// should be the date the facts were built for: windows end at asOf, while
// all-history figures (Purchases or ChannelShare without days) are the
// facts' own totals.
func (r Rule) Compile(asOf time.Time, opts *EvalOptions) (*Matcher, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	e := env{asOf: asOf, loc: time.UTC, scale: DefaultScale}
	var p problems
	if opts != nil {
		if opts.Location != nil {
			e.loc = opts.Location
		}
		e.scale = ScaleOf(opts.Currency)
		e.life = opts.Lifecycle.orDefault()
	} else {
		e.life = DefaultLifecycle()
	}
	if err := e.life.Validate(); err != nil {
		p = append(p, err)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	e.day = DayOf(asOf, e.loc)
	root, err := r.Root.compile(&e)
	if err != nil {
		return nil, underPath("rule.", err)
	}
	return &Matcher{rule: r, root: root, env: e}, nil
}

// Rule returns the rule the matcher was compiled from.
func (m *Matcher) Rule() Rule { return m.rule }

// AsOf returns the analysis date.
func (m *Matcher) AsOf() time.Time { return m.env.asOf }

// Match reports whether the customer matches.
func (m *Matcher) Match(f *Facts) bool { return m.root.match(f) }

// Explain says why the customer matched or not, node by node.
func (m *Matcher) Explain(f *Facts) Explanation { return m.root.explain(f) }

// Filter yields the facts that match, in the order of seq, stopping at
// the first error of seq.
func (m *Matcher) Filter(seq iter.Seq2[*Facts, error]) iter.Seq2[*Facts, error] {
	return func(yield func(*Facts, error) bool) {
		for f, err := range seq {
			if err != nil {
				yield(nil, err)
				return
			}
			if m.root.match(f) && !yield(f, nil) {
				return
			}
		}
	}
}

// Members evaluates the rule over a stream and returns the IDs of the
// customers who match, as a Membership.
func (m *Matcher) Members(seq iter.Seq2[*Facts, error]) (Membership, error) {
	var ids []string
	for f, err := range m.Filter(seq) {
		if err != nil {
			return Membership{}, fmt.Errorf("segment: evaluating %q: %w", m.rule.Name, err)
		}
		ids = append(ids, f.CustomerID)
	}
	return NewMembership(ids), nil
}

// All yields pointers to the facts of a slice, as Filter reads them.
func All(fs []Facts) iter.Seq2[*Facts, error] {
	return func(yield func(*Facts, error) bool) {
		for i := range fs {
			if !yield(&fs[i], nil) {
				return
			}
		}
	}
}

// cnode is a compiled node.
type cnode interface {
	match(f *Facts) bool
	explain(f *Facts) Explanation
}

// Explanation says whether a node matched a customer and why. Observed
// may hold attributes such as age or city: show it to staff, do not log
// it.
type Explanation struct {
	Condition string        // the node's condition, e.g. "spent >= 100.00 in the last 30 days"
	Matched   bool          // whether the node matched
	Observed  string        // what the customer's facts say, for leaves
	Children  []Explanation // for and, or, not
}

// String renders the explanation as an indented tree, one node a line,
// with [x] for a node that matched and [ ] for one that did not.
func (x Explanation) String() string {
	var b strings.Builder
	x.write(&b, 0)
	return strings.TrimRight(b.String(), "\n")
}

func (x Explanation) write(b *strings.Builder, depth int) {
	mark := "[ ]"
	if x.Matched {
		mark = "[x]"
	}
	b.WriteString(strings.Repeat("  ", depth) + mark + " " + x.Condition)
	if x.Observed != "" {
		b.WriteString(": " + x.Observed)
	}
	b.WriteByte('\n')
	for _, c := range x.Children {
		c.write(b, depth+1)
	}
}

type cand []cnode
type cor []cnode
type cnot struct{ n cnode }

func (c cand) match(f *Facts) bool {
	for _, n := range c {
		if !n.match(f) {
			return false
		}
	}
	return true
}

func (c cor) match(f *Facts) bool {
	for _, n := range c {
		if n.match(f) {
			return true
		}
	}
	return false
}

func (c cnot) match(f *Facts) bool { return !c.n.match(f) }

// The explanations evaluate every child, not just up to the first that
// decides, so that staff see the whole picture.
func (c cand) explain(f *Facts) Explanation {
	x := Explanation{Condition: "all of", Matched: true}
	for _, n := range c {
		k := n.explain(f)
		x.Matched = x.Matched && k.Matched
		x.Children = append(x.Children, k)
	}
	return x
}

func (c cor) explain(f *Facts) Explanation {
	x := Explanation{Condition: "any of"}
	for _, n := range c {
		k := n.explain(f)
		x.Matched = x.Matched || k.Matched
		x.Children = append(x.Children, k)
	}
	return x
}

func (c cnot) explain(f *Facts) Explanation {
	k := c.n.explain(f)
	return Explanation{Condition: "not", Matched: !k.Matched, Children: []Explanation{k}}
}

// compileKids compiles the children of an and or or node. A leaf names
// the fields of its compile errors from its own key ("spent.min"); each
// level above puts its place in front, so the caller of Compile reads the
// path Validate and the JSON use ("rule.and[1].spent.min").
func compileKids(e *env, key string, kids []Node) ([]cnode, error) {
	out := make([]cnode, 0, len(kids))
	var errs []error
	for i, k := range kids {
		c, err := k.compile(e)
		if err != nil {
			errs = append(errs, underPath(fmt.Sprintf("%s[%d].", key, i), err))
			continue
		}
		out = append(out, c)
	}
	return out, errors.Join(errs...)
}

func (n *And) compile(e *env) (cnode, error) {
	kids, err := compileKids(e, "and", n.Nodes)
	return cand(kids), err
}

func (n *Or) compile(e *env) (cnode, error) {
	kids, err := compileKids(e, "or", n.Nodes)
	return cor(kids), err
}

func (n *Not) compile(e *env) (cnode, error) {
	k, err := n.Node.compile(e)
	return cnot{k}, underPath("not.", err)
}

// underPath puts prefix in front of the field of every *FieldError in
// err's tree (joined errors included); other errors pass unchanged.
func underPath(prefix string, err error) error {
	switch x := err.(type) {
	case nil:
		return nil
	case *FieldError:
		return &FieldError{Field: prefix + x.Field, Problem: x.Problem}
	case interface{ Unwrap() []error }:
		kids := x.Unwrap()
		out := make([]error, len(kids))
		for i, k := range kids {
			out[i] = underPath(prefix, k)
		}
		return errors.Join(out...)
	}
	return err
}

// leaf is a compiled leaf: its condition in words, a match function and
// an observation of the customer's value for explanations.
type leaf struct {
	cond    string
	test    func(f *Facts) bool
	observe func(f *Facts) string
}

func (l leaf) match(f *Facts) bool { return l.test(f) }

func (l leaf) explain(f *Facts) Explanation {
	return Explanation{Condition: l.cond, Matched: l.test(f), Observed: l.observe(f)}
}

// inList reports whether v is one of list (lists in rules are short, so a
// scan beats a map).
func inList[T comparable](list []T, v T) bool { return slices.Contains(list, v) }

func checkList[T comparable](path string, list []T, p *problems) {
	if len(list) == 0 {
		p.add(path, "empty list")
	}
	var zero T
	for i, v := range list {
		if v == zero {
			p.add(fmt.Sprintf("%s[%d]", path, i), "empty value")
		}
	}
}

func quoteList[T ~string](list []T) string {
	s := make([]string, len(list))
	for i, v := range list {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}
