package segment

import "time"

// ScoreFacts scores the customers of fs by RFM at asOf and stores each
// customer's score in Facts.RFM (the zero score for customers with no
// purchase), so that RFMSegment leaves can read it.
func ScoreFacts(fs []Facts, asOf time.Time, cfg *RFMConfig) (RFMReport, error) {
	sums := make([]Summary, len(fs))
	for i := range fs {
		sums[i] = fs[i].Summary()
	}
	rep, err := ScoreRFM(sums, asOf, cfg)
	if err != nil {
		return RFMReport{}, err
	}
	for i := range fs {
		fs[i].RFM = rep.Results[i].Score
	}
	return rep, nil
}
