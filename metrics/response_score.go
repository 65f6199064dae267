package metrics

import (
	"iter"

	"github.com/clientele-go/clientele/feedback"
)

// ScoresOf maps one survey response to Scores: each NPS, CSAT and CES
// answer becomes a Score of that kind with the response's time, store,
// staff, channel and customer. Star ratings and comments have no Score
// kind and are skipped. feedback's CSAT question is on a 1–5 scale, the
// default of SatisfactionOptions.
func ScoresOf(r feedback.Response) []Score {
	var out []Score
	for _, a := range r.Answers {
		var k Kind
		switch a.Kind {
		case feedback.KindNPS:
			k = KindNPS
		case feedback.KindCSAT:
			k = KindCSAT
		case feedback.KindCES:
			k = KindCES
		default:
			continue
		}
		out = append(out, Score{
			Kind: k, Value: a.Score, Time: r.Time, Store: r.Store, Staff: r.Staff,
			Channel: string(r.Channel), CustomerID: r.CustomerID,
		})
	}
	return out
}

// ScoresFrom maps a response stream, as feedback.Service.ResponsesBetween
// yields it, to the Score stream Satisfaction, SatisfactionBy and
// SatisfactionOver read, so NPS, CSAT and CES come straight from survey
// responses. A stream error is passed on.
func ScoresFrom(responses iter.Seq2[feedback.Response, error]) iter.Seq2[Score, error] {
	return func(yield func(Score, error) bool) {
		for r, err := range responses {
			if err != nil {
				yield(Score{}, err)
				return
			}
			for _, s := range ScoresOf(r) {
				if !yield(s, nil) {
					return
				}
			}
		}
	}
}
