package feedback

import (
	"context"
	"iter"
	"maps"
	"slices"
	"sync"
	"time"
)

// MemoryStore is the embedded Store: every record in memory, safe for
// concurrent use, and checked by the same conformance kit as any adapter.
// It offers DueComplaintIndex. Streams read in chunks, so a long stream
// does not hold the lock while the caller works.
type MemoryStore struct {
	mu sync.RWMutex

	complaints      map[string]Complaint
	complaintsByAt  timeIndex
	complaintsOf    map[string]map[string]bool
	due             dueIndex
	surveys         map[string]Survey
	responses       map[string]ResponseRecord
	responsesByTime timeIndex
	responsesOf     map[string]map[string]bool
	invitations     map[string]InvitationLog
	reviews         map[string]Review
	reviewsByTime   timeIndex
	reviewsOf       map[string]map[string]bool
	reviewsOfSKU    map[string]map[string]bool
	followUps       map[string]FollowUp
	followUpsOf     map[string]map[string]bool
	openFollowUps   map[string]bool // due lists read only these
}

// NewMemoryStore returns an empty in-memory store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{
		complaints:    map[string]Complaint{},
		complaintsOf:  map[string]map[string]bool{},
		surveys:       map[string]Survey{},
		responses:     map[string]ResponseRecord{},
		responsesOf:   map[string]map[string]bool{},
		invitations:   map[string]InvitationLog{},
		reviews:       map[string]Review{},
		reviewsOf:     map[string]map[string]bool{},
		reviewsOfSKU:  map[string]map[string]bool{},
		followUps:     map[string]FollowUp{},
		followUpsOf:   map[string]map[string]bool{},
		openFollowUps: map[string]bool{},
	}
}

var (
	_ Store             = (*MemoryStore)(nil)
	_ DueComplaintIndex = (*MemoryStore)(nil)
)

const streamChunk = 256

func link(m map[string]map[string]bool, key, id string) {
	if key == "" {
		return
	}
	if m[key] == nil {
		m[key] = map[string]bool{}
	}
	m[key][id] = true
}

func unlink(m map[string]map[string]bool, key, id string) {
	if s := m[key]; s != nil {
		delete(s, id)
		if len(s) == 0 {
			delete(m, key)
		}
	}
}

// casCheck applies the compare-and-set rule to a stored version.
func casCheck(exists bool, stored, next int64) error {
	if !exists {
		return ErrNotFound
	}
	if stored != next-1 {
		return ErrConflict
	}
	return nil
}

// --- complaints

// CreateComplaint implements ComplaintStore.
func (s *MemoryStore) CreateComplaint(ctx context.Context, c Complaint) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.complaints[c.ID]; ok {
		return ErrAlreadyExists
	}
	s.complaints[c.ID] = c.Clone()
	s.complaintsByAt.insert(tkey{c.ReceivedAt, c.ID})
	link(s.complaintsOf, c.CustomerID, c.ID)
	s.due.set(c.ID, time.Time{}, c.DueAt)
	return nil
}

// GetComplaint implements ComplaintStore.
func (s *MemoryStore) GetComplaint(ctx context.Context, id string) (Complaint, error) {
	if err := ctx.Err(); err != nil {
		return Complaint{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.complaints[id]
	if !ok {
		return Complaint{}, ErrNotFound
	}
	return c.Clone(), nil
}

// UpdateComplaint implements ComplaintStore.
func (s *MemoryStore) UpdateComplaint(ctx context.Context, c Complaint) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.complaints[c.ID]
	if err := casCheck(ok, old.Version, c.Version); err != nil {
		return err
	}
	s.putComplaint(old, c.Clone())
	return nil
}

// putComplaint replaces old with c, keeping the indexes right.
func (s *MemoryStore) putComplaint(old, c Complaint) {
	s.complaints[c.ID] = c
	if !old.ReceivedAt.Equal(c.ReceivedAt) {
		s.complaintsByAt.remove(tkey{old.ReceivedAt, old.ID})
		s.complaintsByAt.insert(tkey{c.ReceivedAt, c.ID})
	}
	if old.CustomerID != c.CustomerID {
		unlink(s.complaintsOf, old.CustomerID, c.ID)
		link(s.complaintsOf, c.CustomerID, c.ID)
	}
	s.due.set(c.ID, old.DueAt, c.DueAt)
}

// OpenComplaints implements ComplaintStore.
func (s *MemoryStore) OpenComplaints(ctx context.Context) iter.Seq2[Complaint, error] {
	return func(yield func(Complaint, error) bool) {
		s.mu.RLock()
		ids := make([]string, 0, len(s.complaints))
		for id, c := range s.complaints {
			if c.Status.Open() {
				ids = append(ids, id)
			}
		}
		s.mu.RUnlock()
		slices.Sort(ids)
		s.yieldComplaints(ctx, ids, yield, func(c Complaint) bool { return c.Status.Open() })
	}
}

// yieldComplaints looks the IDs up in chunks and yields those still
// matching keep.
func (s *MemoryStore) yieldComplaints(ctx context.Context, ids []string, yield func(Complaint, error) bool, keep func(Complaint) bool) {
	for len(ids) > 0 {
		if err := ctx.Err(); err != nil {
			yield(Complaint{}, err)
			return
		}
		n := min(len(ids), streamChunk)
		batch := make([]Complaint, 0, n)
		s.mu.RLock()
		for _, id := range ids[:n] {
			if c, ok := s.complaints[id]; ok && keep(c) {
				batch = append(batch, c.Clone())
			}
		}
		s.mu.RUnlock()
		ids = ids[n:]
		for _, c := range batch {
			if err := ctx.Err(); err != nil {
				yield(Complaint{}, err)
				return
			}
			if !yield(c, nil) {
				return
			}
		}
	}
}

// ComplaintsDueBefore implements DueComplaintIndex.
func (s *MemoryStore) ComplaintsDueBefore(ctx context.Context, t time.Time) iter.Seq2[Complaint, error] {
	return func(yield func(Complaint, error) bool) {
		s.mu.RLock()
		keys := s.due.before(t)
		s.mu.RUnlock()
		ids := make([]string, len(keys))
		for i, k := range keys {
			ids[i] = k.id
		}
		s.yieldComplaints(ctx, ids, yield, func(c Complaint) bool { return !c.DueAt.IsZero() && c.DueAt.Before(t) })
	}
}

// ComplaintsBetween implements ComplaintStore.
func (s *MemoryStore) ComplaintsBetween(ctx context.Context, from, to time.Time) iter.Seq2[Complaint, error] {
	return rangeStream(ctx, &s.mu, &s.complaintsByAt, from, to, func(id string) (Complaint, bool) {
		c, ok := s.complaints[id]
		return c.Clone(), ok
	})
}

// ComplaintsOf implements ComplaintStore.
func (s *MemoryStore) ComplaintsOf(ctx context.Context, customerID string) iter.Seq2[Complaint, error] {
	return newestFirst(ctx, &s.mu, s.complaintsOf, customerID, func(id string) (Complaint, tkey) {
		c := s.complaints[id]
		return c.Clone(), tkey{c.ReceivedAt, c.ID}
	})
}

// rangeStream yields the records of an index with from <= time < to, in
// chunks, taking the read lock per chunk.
func rangeStream[T any](ctx context.Context, mu *sync.RWMutex, idx *timeIndex, from, to time.Time, get func(string) (T, bool)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		cursor, inclusive := tkey{t: from}, true
		for {
			var zero T
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			mu.RLock()
			keys := idx.after(cursor, inclusive, to, streamChunk)
			batch := make([]T, 0, len(keys))
			for _, k := range keys {
				if v, ok := get(k.id); ok {
					batch = append(batch, v)
				}
			}
			mu.RUnlock()
			for _, v := range batch {
				if err := ctx.Err(); err != nil {
					yield(zero, err)
					return
				}
				if !yield(v, nil) {
					return
				}
			}
			if len(keys) < streamChunk {
				return
			}
			cursor, inclusive = keys[len(keys)-1], false
		}
	}
}

// newestFirst yields a customer's records by time descending, then ID
// descending.
func newestFirst[T any](ctx context.Context, mu *sync.RWMutex, of map[string]map[string]bool, customerID string, get func(string) (T, tkey)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if err := ctx.Err(); err != nil {
			yield(zero, err)
			return
		}
		type item struct {
			v T
			k tkey
		}
		mu.RLock()
		items := make([]item, 0, len(of[customerID]))
		for id := range of[customerID] {
			v, k := get(id)
			items = append(items, item{v, k})
		}
		mu.RUnlock()
		slices.SortFunc(items, func(a, b item) int { return b.k.cmp(a.k) })
		for _, it := range items {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			if !yield(it.v, nil) {
				return
			}
		}
	}
}

// --- surveys, responses, invitations

// CreateSurvey implements SurveyStore.
func (s *MemoryStore) CreateSurvey(ctx context.Context, sv Survey) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.surveys[sv.ID]; ok {
		return ErrAlreadyExists
	}
	s.surveys[sv.ID] = sv.Clone()
	return nil
}

// GetSurvey implements SurveyStore.
func (s *MemoryStore) GetSurvey(ctx context.Context, id string) (Survey, error) {
	if err := ctx.Err(); err != nil {
		return Survey{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	sv, ok := s.surveys[id]
	if !ok {
		return Survey{}, ErrNotFound
	}
	return sv.Clone(), nil
}

// UpdateSurvey implements SurveyStore.
func (s *MemoryStore) UpdateSurvey(ctx context.Context, sv Survey) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.surveys[sv.ID]
	if err := casCheck(ok, old.Version, sv.Version); err != nil {
		return err
	}
	s.surveys[sv.ID] = sv.Clone()
	return nil
}

// Surveys implements SurveyStore.
func (s *MemoryStore) Surveys(ctx context.Context) iter.Seq2[Survey, error] {
	return func(yield func(Survey, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(Survey{}, err)
			return
		}
		s.mu.RLock()
		ids := slices.Sorted(maps.Keys(s.surveys))
		all := make([]Survey, len(ids))
		for i, id := range ids {
			all[i] = s.surveys[id].Clone()
		}
		s.mu.RUnlock()
		for _, sv := range all {
			if err := ctx.Err(); err != nil {
				yield(Survey{}, err)
				return
			}
			if !yield(sv, nil) {
				return
			}
		}
	}
}

// AddResponse implements SurveyStore.
func (s *MemoryStore) AddResponse(ctx context.Context, r ResponseRecord) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.responses[r.Response.ID]; ok {
		return ErrAlreadyExists
	}
	r.Response = r.Response.Clone()
	s.responses[r.Response.ID] = r
	s.responsesByTime.insert(tkey{r.Response.Time, r.Response.ID})
	link(s.responsesOf, r.Response.CustomerID, r.Response.ID)
	return nil
}

// GetResponse implements SurveyStore.
func (s *MemoryStore) GetResponse(ctx context.Context, id string) (ResponseRecord, error) {
	if err := ctx.Err(); err != nil {
		return ResponseRecord{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.responses[id]
	if !ok {
		return ResponseRecord{}, ErrNotFound
	}
	r.Response = r.Response.Clone()
	return r, nil
}

// ResponsesBetween implements SurveyStore.
func (s *MemoryStore) ResponsesBetween(ctx context.Context, from, to time.Time) iter.Seq2[Response, error] {
	return rangeStream(ctx, &s.mu, &s.responsesByTime, from, to, func(id string) (Response, bool) {
		r, ok := s.responses[id]
		return r.Response.Clone(), ok
	})
}

// ResponsesOf implements SurveyStore.
func (s *MemoryStore) ResponsesOf(ctx context.Context, customerID string) iter.Seq2[Response, error] {
	return newestFirst(ctx, &s.mu, s.responsesOf, customerID, func(id string) (Response, tkey) {
		r := s.responses[id].Response
		return r.Clone(), tkey{r.Time, r.ID}
	})
}

// GetInvitationLog implements SurveyStore.
func (s *MemoryStore) GetInvitationLog(ctx context.Context, customerID string) (InvitationLog, error) {
	if err := ctx.Err(); err != nil {
		return InvitationLog{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	l, ok := s.invitations[customerID]
	if !ok {
		return InvitationLog{}, ErrNotFound
	}
	return l.Clone(), nil
}

// SaveInvitationLog implements SurveyStore.
func (s *MemoryStore) SaveInvitationLog(ctx context.Context, l InvitationLog) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.invitations[l.CustomerID]
	if (l.Version == 1 && ok) || (l.Version != 1 && (!ok || old.Version != l.Version-1)) {
		return ErrConflict
	}
	s.invitations[l.CustomerID] = l.Clone()
	return nil
}

// --- reviews

// CreateReview implements ReviewStore.
func (s *MemoryStore) CreateReview(ctx context.Context, r Review) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.reviews[r.ID]; ok {
		return ErrAlreadyExists
	}
	s.reviews[r.ID] = r
	s.reviewsByTime.insert(tkey{r.Time, r.ID})
	link(s.reviewsOf, r.CustomerID, r.ID)
	link(s.reviewsOfSKU, r.SKU, r.ID)
	return nil
}

// GetReview implements ReviewStore.
func (s *MemoryStore) GetReview(ctx context.Context, id string) (Review, error) {
	if err := ctx.Err(); err != nil {
		return Review{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.reviews[id]
	if !ok {
		return Review{}, ErrNotFound
	}
	return r, nil
}

// UpdateReview implements ReviewStore.
func (s *MemoryStore) UpdateReview(ctx context.Context, r Review) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.reviews[r.ID]
	if err := casCheck(ok, old.Version, r.Version); err != nil {
		return err
	}
	s.putReview(old, r)
	return nil
}

func (s *MemoryStore) putReview(old, r Review) {
	s.reviews[r.ID] = r
	if !old.Time.Equal(r.Time) {
		s.reviewsByTime.remove(tkey{old.Time, old.ID})
		s.reviewsByTime.insert(tkey{r.Time, r.ID})
	}
	if old.CustomerID != r.CustomerID {
		unlink(s.reviewsOf, old.CustomerID, r.ID)
		link(s.reviewsOf, r.CustomerID, r.ID)
	}
	if old.SKU != r.SKU {
		unlink(s.reviewsOfSKU, old.SKU, r.ID)
		link(s.reviewsOfSKU, r.SKU, r.ID)
	}
}

// ReviewsOfProduct implements ReviewStore.
func (s *MemoryStore) ReviewsOfProduct(ctx context.Context, sku string) iter.Seq2[Review, error] {
	return newestFirst(ctx, &s.mu, s.reviewsOfSKU, sku, func(id string) (Review, tkey) {
		r := s.reviews[id]
		return r, tkey{r.Time, r.ID}
	})
}

// ReviewsBetween implements ReviewStore.
func (s *MemoryStore) ReviewsBetween(ctx context.Context, from, to time.Time) iter.Seq2[Review, error] {
	return rangeStream(ctx, &s.mu, &s.reviewsByTime, from, to, func(id string) (Review, bool) {
		r, ok := s.reviews[id]
		return r, ok
	})
}

// ReviewsOf implements ReviewStore.
func (s *MemoryStore) ReviewsOf(ctx context.Context, customerID string) iter.Seq2[Review, error] {
	return newestFirst(ctx, &s.mu, s.reviewsOf, customerID, func(id string) (Review, tkey) {
		r := s.reviews[id]
		return r, tkey{r.Time, r.ID}
	})
}

// --- follow-ups

// CreateFollowUp implements FollowUpStore.
func (s *MemoryStore) CreateFollowUp(ctx context.Context, f FollowUp) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.followUps[f.ID]; ok {
		return ErrAlreadyExists
	}
	s.putFollowUp(FollowUp{ID: f.ID}, f)
	return nil
}

// GetFollowUp implements FollowUpStore.
func (s *MemoryStore) GetFollowUp(ctx context.Context, id string) (FollowUp, error) {
	if err := ctx.Err(); err != nil {
		return FollowUp{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	f, ok := s.followUps[id]
	if !ok {
		return FollowUp{}, ErrNotFound
	}
	return f, nil
}

// UpdateFollowUp implements FollowUpStore.
func (s *MemoryStore) UpdateFollowUp(ctx context.Context, f FollowUp) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.followUps[f.ID]
	if err := casCheck(ok, old.Version, f.Version); err != nil {
		return err
	}
	s.putFollowUp(old, f)
	return nil
}

// putFollowUp replaces old with f, keeping the indexes right.
func (s *MemoryStore) putFollowUp(old, f FollowUp) {
	s.followUps[f.ID] = f
	if old.CustomerID != f.CustomerID {
		unlink(s.followUpsOf, old.CustomerID, f.ID)
		link(s.followUpsOf, f.CustomerID, f.ID)
	}
	if f.Status == FollowUpOpen {
		s.openFollowUps[f.ID] = true
	} else {
		delete(s.openFollowUps, f.ID)
	}
}

// FollowUps implements FollowUpStore. A filter by customer or on open
// follow-ups reads only those; others scan every follow-up.
func (s *MemoryStore) FollowUps(ctx context.Context, q FollowUpFilter) iter.Seq2[FollowUp, error] {
	return func(yield func(FollowUp, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(FollowUp{}, err)
			return
		}
		s.mu.RLock()
		var out []FollowUp
		// Read the smallest index that covers the filter.
		var ids map[string]bool
		switch {
		case q.CustomerID != "":
			ids = s.followUpsOf[q.CustomerID]
		case q.Status == FollowUpOpen:
			ids = s.openFollowUps
		}
		if ids != nil || q.CustomerID != "" {
			for id := range ids {
				if f := s.followUps[id]; q.Match(f) {
					out = append(out, f)
				}
			}
		} else {
			for _, f := range s.followUps {
				if q.Match(f) {
					out = append(out, f)
				}
			}
		}
		s.mu.RUnlock()
		slices.SortFunc(out, func(a, b FollowUp) int { return tkey{a.DueAt, a.ID}.cmp(tkey{b.DueAt, b.ID}) })
		for _, f := range out {
			if err := ctx.Err(); err != nil {
				yield(FollowUp{}, err)
				return
			}
			if !yield(f, nil) {
				return
			}
		}
	}
}

// --- customer links

// Reassign implements CustomerLinks.
func (s *MemoryStore) Reassign(ctx context.Context, from, to string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if from == to || from == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for id := range s.complaintsOf[from] {
		old := s.complaints[id]
		c := old.Clone()
		c.CustomerID, c.Version = to, c.Version+1
		s.putComplaint(old, c)
	}
	for id := range s.responsesOf[from] {
		r := s.responses[id]
		r.Response.CustomerID = to
		s.responses[id] = r
		link(s.responsesOf, to, id)
	}
	delete(s.responsesOf, from)
	for id := range s.reviewsOf[from] {
		old := s.reviews[id]
		r := old
		r.CustomerID, r.Version = to, r.Version+1
		s.putReview(old, r)
	}
	for id := range s.followUpsOf[from] {
		old := s.followUps[id]
		f := old
		f.CustomerID, f.Version = to, f.Version+1
		s.putFollowUp(old, f)
	}
	return nil
}

// Redact implements CustomerLinks.
func (s *MemoryStore) Redact(ctx context.Context, customerID string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if customerID == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for id := range s.complaintsOf[customerID] {
		old := s.complaints[id]
		if c := old.Clone(); c.Erase() {
			s.putComplaint(old, c)
		}
	}
	for id := range s.responsesOf[customerID] {
		r := s.responses[id]
		r.Response = r.Response.Clone()
		r.Response.Redact()
		s.responses[id] = r
	}
	for id := range s.reviewsOf[customerID] {
		if r := s.reviews[id]; r.Erase() {
			s.reviews[id] = r
		}
	}
	for id := range s.followUpsOf[customerID] {
		if f := s.followUps[id]; f.Erase() {
			s.followUps[id] = f
		}
	}
	return nil
}
