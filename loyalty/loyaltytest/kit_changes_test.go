package loyaltytest_test

import (
	"context"
	"errors"
	"sync"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty"
)

// Broken ChangeFeeds: each answers from the memory store's journal, or
// from one of its own, and breaks one sentence of the contract.

func init() {
	broken = append(broken,
		kit.Broken[loyalty.Store]{Name: "ChangesDropRecords", Rule: "Changes/NameWhatTheSavesAfterWrote",
			Store: func() loyalty.Store { return &changesBroken{Store: mem(), how: "drop records"} }},
		kit.Broken[loyalty.Store]{Name: "ChangesSinceInclusive", Rule: "Changes/NameWhatTheSavesAfterWrote",
			Store: func() loyalty.Store { return &changesBroken{Store: mem(), how: "inclusive"} }},
		kit.Broken[loyalty.Store]{Name: "ChangesJournalBeforeCheck", Rule: "Changes/RefusedSavesWriteNone",
			Store: func() loyalty.Store { return &changesBroken{Store: mem(), how: "journal first"} }},
		kit.Broken[loyalty.Store]{Name: "ChangesAheadIsNothing", Rule: "Changes/MissingAndAheadAreErrors",
			Store: func() loyalty.Store { return &changesBroken{Store: mem(), how: "ahead"} }},
		kit.Broken[loyalty.Store]{Name: "ChangesMissingIsNothing", Rule: "Changes/MissingAndAheadAreErrors",
			Store: func() loyalty.Store { return &changesBroken{Store: mem(), how: "missing"} }},
	)
}

type changesBroken struct {
	loyalty.Store
	how     string
	mu      sync.Mutex
	journal map[string][]loyalty.Change // "journal first": every save tried, refused or not
}

func (s *changesBroken) Save(ctx context.Context, w loyalty.Write) error {
	if s.how == "journal first" {
		s.mu.Lock()
		if s.journal == nil {
			s.journal = map[string][]loyalty.Change{}
		}
		s.journal[w.Account.MemberID] = append(s.journal[w.Account.MemberID], loyalty.ChangeOf(w))
		s.mu.Unlock()
	}
	return s.Store.Save(ctx, w)
}

func (s *changesBroken) Changes(ctx context.Context, memberID string, since int64) (loyalty.Changes, error) {
	feed := s.Store.(loyalty.ChangeFeed)
	switch s.how {
	case "inclusive":
		since = max(since-1, 0)
	case "missing":
		if _, err := s.Store.GetAccount(ctx, memberID); errors.Is(err, loyalty.ErrNotFound) {
			return loyalty.Changes{}, nil
		}
	case "ahead":
		a, err := s.Store.GetAccount(ctx, memberID)
		if err == nil && since > a.Version {
			return loyalty.Changes{Version: a.Version}, nil
		}
	case "journal first":
		got, err := feed.Changes(ctx, memberID, since)
		if err != nil {
			return got, err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		var tried []loyalty.Change // numbered on from since, refused saves among them
		for _, c := range s.journal[memberID] {
			if c.Version > since {
				c.Version = since + 1 + int64(len(tried))
				tried = append(tried, c)
			}
		}
		return loyalty.SumChanges(since, since+int64(len(tried)), got.EntriesAfter, tried)
	}
	got, err := feed.Changes(ctx, memberID, since)
	if s.how == "drop records" {
		got.Records = nil
	}
	return got, err
}
