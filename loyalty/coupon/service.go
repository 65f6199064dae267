package coupon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/clientele-go/clientele/internal/fielderr"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/clientele-go/clientele/internal/idem"
	"github.com/clientele-go/clientele/internal/textcheck"
)

// Options configure a Service. The zero value (or nil) is the default.
type Options struct {
	// Random is where generated codes come from: crypto/rand when nil.
	// Tests pass a seeded reader.
	Random io.Reader
	// Retries bounds the attempts of one request that keeps meeting
	// ErrConflict (concurrent holds of one generic code); default 64.
	Retries int
}

// Service issues, presents and redeems coupon codes over a Store.
type Service struct {
	store   Store
	random  io.Reader
	retries int
	// defs caches definitions, which are immutable once stored: a lookup
	// at the till is then one store read (the code's header), not two.
	defs   sync.Map // string → Definition
	cached atomic.Int64
}

// maxCachedDefinitions bounds the cache; past it, definitions are read
// from the store each time.
const maxCachedDefinitions = 10_000

// definition returns a stored definition, from the cache when it can.
func (s *Service) definition(ctx context.Context, id string) (Definition, error) {
	if d, ok := s.defs.Load(id); ok {
		return cloneDefinition(d.(Definition)), nil
	}
	d, err := s.store.GetDefinition(ctx, id)
	if err != nil {
		return d, err
	}
	if s.cached.Add(1) <= maxCachedDefinitions {
		s.defs.Store(id, cloneDefinition(d))
	}
	return d, nil
}

// NewService returns a service over store.
func NewService(store Store, opts *Options) *Service {
	s := &Service{store: store, retries: 64}
	if opts != nil {
		s.random = opts.Random
		if opts.Retries > 0 {
			s.retries = opts.Retries
		}
	}
	return s
}

// Store returns the service's store.
func (s *Service) Store() Store { return s.store }

// MaxBatch bounds the codes one Generate or Import makes.
const MaxBatch = 10_000

// Define validates and stores a definition. Defining the same definition
// again does nothing; a different one under a stored ID is
// ErrAlreadyExists.
func (s *Service) Define(ctx context.Context, d Definition) error {
	if err := d.Validate(); err != nil {
		return err
	}
	err := s.store.AddDefinition(ctx, d)
	if errors.Is(err, ErrAlreadyExists) {
		old, gerr := s.store.GetDefinition(ctx, d.ID)
		if gerr == nil && sameJSON(old, d) {
			return nil
		}
	}
	if err != nil {
		return fmt.Errorf("coupon: define %s: %w", d.ID, err)
	}
	return nil
}

func sameJSON(a, b any) bool {
	ha, errA := idem.Hash(a)
	hb, errB := idem.Hash(b)
	return errA == nil && errB == nil && ha == hb
}

// GenerateRequest asks for Count new unique codes of a definition,
// issued to Owner (a member ID) or, when Owner is empty, to nobody.
type GenerateRequest struct {
	ID         string // the request's own ID: a retry with it returns the same codes
	Definition string
	Count      int
	Owner      string
	At         time.Time
}

// Generate makes new unique codes with check characters. Replaying a
// request returns the codes it made the first time.
func (s *Service) Generate(ctx context.Context, r GenerateRequest) ([]string, error) {
	fe := fields.List()
	checkRequest(fe, r.ID, r.Definition, r.Owner, r.At)
	if r.Count < 1 || r.Count > MaxBatch {
		fe.Add("count", "must be between 1 and %d", MaxBatch)
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	build := func(def Definition) ([]Code, error) {
		codes := make([]Code, r.Count)
		for i := range codes {
			c, err := Generate(s.random)
			if err != nil {
				return nil, err
			}
			codes[i] = newCode(c, SourceGenerated, def, r.Owner, r.At, r.ID)
		}
		return codes, nil
	}
	return s.addCodes(ctx, "generate:"+r.ID, r, r.Definition, build, true)
}

// ImportRequest brings codes made elsewhere (or one generic code chosen
// by the shop) under a definition. Codes are normalised; each must be 4
// to 64 letters and digits, and none may exist.
type ImportRequest struct {
	ID         string
	Definition string
	Codes      []string
	Source     Source // SourceImported (the default) or SourceGeneric
	Owner      string
	At         time.Time
}

// Import stores the request's codes, all or none: a code that exists
// fails the request with ErrCodeTaken, naming no code. Replaying a
// request returns the normalised codes.
func (s *Service) Import(ctx context.Context, r ImportRequest) ([]string, error) {
	fe := fields.List()
	checkRequest(fe, r.ID, r.Definition, r.Owner, r.At)
	if len(r.Codes) < 1 || len(r.Codes) > MaxBatch {
		fe.Add("codes", "between 1 and %d codes", MaxBatch)
	}
	switch r.Source {
	case "":
		r.Source = SourceImported
	case SourceImported, SourceGeneric:
	default:
		fe.Add("source", "must be imported or generic")
	}
	norm := make([]string, len(r.Codes))
	seen := make(map[string]int, len(r.Codes))
	for i, c := range r.Codes {
		norm[i] = Normalize(c)
		if !validChosen(norm[i]) {
			fe.Add(fmt.Sprintf("codes[%d]", i), "must be %d to %d letters and digits (spaces and hyphens ignored)", MinCodeLength, MaxCodeLength)
		} else if j, dup := seen[norm[i]]; dup {
			fe.Add(fmt.Sprintf("codes[%d]", i), "same code as codes[%d]", j)
		}
		seen[norm[i]] = i
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	r.Codes = norm
	build := func(def Definition) ([]Code, error) {
		codes := make([]Code, len(norm))
		for i, c := range norm {
			codes[i] = newCode(c, r.Source, def, r.Owner, r.At, r.ID)
		}
		return codes, nil
	}
	return s.addCodes(ctx, "import:"+r.ID, r, r.Definition, build, false)
}

func newCode(code string, src Source, def Definition, owner string, at time.Time, batch string) Code {
	return Code{Code: code, Definition: def.ID, Source: src, Owner: owner, Limit: def.UsesPerCode, PerCustomer: def.PerCustomer,
		IssuedAt: at.UTC().Truncate(time.Microsecond), Batch: batch}
}

func checkRequest(fe *fielderr.List, id, def, owner string, at time.Time) {
	if !textcheck.ID(id) {
		fe.Add("id", "required, at most %d bytes of valid UTF-8 without control characters", textcheck.MaxID)
	}
	if !textcheck.ID(def) {
		fe.Add("definition", "required, at most %d bytes of valid UTF-8 without control characters", textcheck.MaxID)
	}
	if !textcheck.Label(owner, textcheck.MaxID) {
		fe.Add("owner", "at most %d bytes of valid UTF-8 without control characters", textcheck.MaxID)
	}
	checkTime(fe, "at", at)
}

func checkTime(fe *fielderr.List, field string, at time.Time) {
	if at.IsZero() || at.Year() < 1850 || at.Year() > 2199 {
		fe.Add(field, "required, between 1850 and 2199")
	}
}

// addCodes writes a batch under an operation key, replaying a recorded
// one. Generated codes that collide with stored ones (one in 10^11 among
// ten million) are drawn again; imported ones fail.
func (s *Service) addCodes(ctx context.Context, key string, req any, defID string, build func(Definition) ([]Code, error), regenerate bool) ([]string, error) {
	hash, err := idem.Hash(req)
	if err != nil {
		return nil, fields.New("at", "cannot be encoded")
	}
	for range s.retries {
		if out, done, err := s.replay(ctx, key, hash); done {
			return decodeCodes(out, err)
		}
		def, err := s.definition(ctx, defID)
		if err != nil {
			return nil, fmt.Errorf("coupon: %s: definition %s: %w", key, defID, err)
		}
		codes, err := build(def)
		if err != nil {
			return nil, err
		}
		list := make([]string, len(codes))
		for i, c := range codes {
			list[i] = c.Code
		}
		result, _ := json.Marshal(list)
		err = s.store.AddCodes(ctx, Batch{Codes: codes, Operation: Operation{Key: key, Hash: hash, Result: result}})
		switch {
		case err == nil:
			return list, nil
		case !errors.Is(err, ErrAlreadyExists):
			return nil, fmt.Errorf("coupon: %s: %w", key, err)
		}
		if _, gerr := s.store.GetOperation(ctx, key); gerr == nil {
			continue // recorded meanwhile: replay it
		}
		if !regenerate {
			return nil, fmt.Errorf("coupon: %s: %w", key, ErrCodeTaken)
		}
	}
	return nil, fmt.Errorf("coupon: %s: %w", key, ErrUnavailable)
}

func decodeCodes(out []byte, err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	var codes []string
	if err := json.Unmarshal(out, &codes); err != nil {
		return nil, fmt.Errorf("coupon: stored result unreadable: %w", err)
	}
	return codes, nil
}

// replay returns a recorded operation's result: done is false when the
// key is not recorded. A recorded failure comes back as its error.
func (s *Service) replay(ctx context.Context, key, hash string) (out []byte, done bool, err error) {
	op, err := s.store.GetOperation(ctx, key)
	switch {
	case errors.Is(err, ErrNotFound):
		return nil, false, nil
	case err != nil:
		return nil, true, fmt.Errorf("coupon: %s: %w", key, err)
	case op.Hash != hash:
		return nil, true, fmt.Errorf("coupon: %s: %w", key, ErrIdempotencyMismatch)
	}
	if f, ok := decodeFailure(op.Result); ok {
		return nil, true, fmt.Errorf("coupon: %s: %w", key, f)
	}
	return op.Result, true, nil
}
