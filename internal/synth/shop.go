package synth

import (
	"fmt"
	"time"
)

// Config describes the shop to generate. Zero fields take the defaults
// of DefaultConfig.
type Config struct {
	Seed       uint64
	Customers  int
	Purchases  int
	Start, End time.Time // purchases fall in [Start, End)
	Stores     int
	Categories int
	Brands     int
	SKUs       int
	// ReturnPerMille is how many purchases in a thousand get a return.
	ReturnPerMille int
	Currency       string
	Location       *time.Location
}

// DefaultConfig is a small shop: 1,000 customers, 10,000 purchases over
// two years.
func DefaultConfig() Config {
	return Config{
		Seed: 1, Customers: 1000, Purchases: 10000,
		Start:  time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC),
		End:    time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		Stores: 12, Categories: 20, Brands: 40, SKUs: 2000,
		ReturnPerMille: 40, Currency: "CNY", Location: time.UTC,
	}
}

// Shop is a generated shop. It holds only the customer IDs and the
// per-day purchase counts; every record is regenerated on demand.
type Shop struct {
	cfg      Config
	ids      []string
	days     int
	perDay   []int // purchases on each day
	firstDay time.Time
}

// New returns the shop for cfg.
func New(cfg Config) *Shop {
	d := DefaultConfig()
	if cfg.Customers <= 0 {
		cfg.Customers = d.Customers
	}
	if cfg.Purchases < 0 {
		cfg.Purchases = 0
	}
	if cfg.Start.IsZero() || !cfg.End.After(cfg.Start) {
		cfg.Start, cfg.End = d.Start, d.End
	}
	cfg.Stores = orDefault(cfg.Stores, d.Stores)
	cfg.Categories = orDefault(cfg.Categories, d.Categories)
	cfg.Brands = orDefault(cfg.Brands, d.Brands)
	cfg.SKUs = orDefault(cfg.SKUs, d.SKUs)
	if cfg.Currency == "" {
		cfg.Currency = d.Currency
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	s := &Shop{cfg: cfg}
	s.ids = make([]string, cfg.Customers)
	for i := range s.ids {
		s.ids[i] = fmt.Sprintf("C%08d", i)
	}
	s.firstDay = cfg.Start.In(cfg.Location)
	s.days = max(1, int(cfg.End.Sub(cfg.Start).Hours()/24))
	s.perDay = s.spread()
	return s
}

func orDefault(v, d int) int {
	if v <= 0 {
		return d
	}
	return v
}

// Config returns the configuration with defaults filled in.
func (s *Shop) Config() Config { return s.cfg }

// CustomerIDs returns the customer IDs, ascending; index i is customer i.
func (s *Shop) CustomerIDs() []string { return s.ids }

// season is the relative sales weight of a day: weekends +30%, December
// +80%, November +30% (singles' day, black Friday), a mid-year dip.
func season(t time.Time) float64 {
	w := 1.0
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		w *= 1.3
	}
	switch t.Month() {
	case time.December:
		w *= 1.8
	case time.November:
		w *= 1.3
	case time.July, time.August:
		w *= 0.85
	}
	return w
}

// spread divides the purchases over the days by season, exactly: the
// counts are differences of rounded cumulative shares, so they sum to
// Purchases.
func (s *Shop) spread() []int {
	weights := make([]float64, s.days)
	total := 0.0
	for d := range weights {
		weights[d] = season(s.firstDay.AddDate(0, 0, d))
		total += weights[d]
	}
	out := make([]int, s.days)
	cum, prev := 0.0, 0
	for d, w := range weights {
		cum += w
		next := int(float64(s.cfg.Purchases)*cum/total + 0.5)
		if d == s.days-1 {
			next = s.cfg.Purchases
		}
		out[d] = next - prev
		prev = next
	}
	return out
}

// joined returns how many customers have joined by the end of day d: 30%
// before the period starts, the rest evenly over it.
func (s *Shop) joined(d int) int {
	n := s.cfg.Customers
	early := n * 3 / 10
	return min(n, max(1, early+(n-early)*(d+1)/s.days))
}

// joinDay returns the day index customer i joined (negative: before the
// period).
func (s *Shop) joinDay(i int) int {
	n := s.cfg.Customers
	early := n * 3 / 10
	if i < early {
		return -1 - s.below(tagJoin, uint64(i), 0, 1095)
	}
	late := n - early
	// Smallest d with joined(d) > i.
	return max(0, ((i-early+1)*s.days+late-1)/late-1)
}
