package synth

import "fmt"

// line is one drawn purchase line in minor units.
type line struct {
	sku      int
	qty      int64
	price    int64
	discount int64
}

func (l line) total() int64 { return l.qty*l.price - l.discount }

// drawLines draws the lines of purchase seq into buf: 1 to 4 lines, SKUs
// biased towards the best sellers, 10% of lines with a 10% discount.
func (s *Shop) drawLines(seq uint64, buf []line) []line {
	n := 1 + s.skewed(tagLines, seq, 0, 4, 1.5)
	for k := range n {
		sku := s.skewed(tagSKU, seq, uint64(k), s.cfg.SKUs, 1.7)
		l := line{sku: sku, qty: int64(1 + s.skewed(tagQty, seq, uint64(k), 3, 2)), price: s.price(sku)}
		if s.below(tagDiscount, seq, uint64(k), 10) == 0 {
			l.discount = l.qty * l.price / 10
		}
		buf = append(buf, l)
	}
	return buf
}

// amounts returns the purchase total and its first line's total.
func (s *Shop) amounts(seq uint64) (total, first int64) {
	var buf [4]line
	ls := s.drawLines(seq, buf[:0])
	for _, l := range ls {
		total += l.total()
	}
	return total, ls[0].total()
}

// price is a SKU's unit price in minor units: 1.00 to 200.99, fixed per
// SKU.
func (s *Shop) price(sku int) int64 {
	return 100 + int64(mix(s.cfg.Seed^uint64(sku)*0x9e37)%20000)
}

// SKU, Category and Brand name a SKU index.
func skuName(sku int) string { return fmt.Sprintf("SKU%05d", sku) }

func (s *Shop) category(sku int) string {
	return categories[sku%s.cfg.Categories%len(categories)] + suffix(sku%s.cfg.Categories/len(categories))
}

func (s *Shop) brand(sku int) string {
	return fmt.Sprintf("brand-%02d", (sku/s.cfg.Categories+sku)%s.cfg.Brands)
}

func suffix(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("-%d", n)
}

var categories = []string{
	"grocery", "dairy", "bakery", "beverages", "snacks", "household", "beauty", "baby",
	"pet", "apparel", "shoes", "electronics", "toys", "books", "garden", "sports",
	"furniture", "kitchen", "stationery", "health",
}

// storeOf is the store of a purchase: the customer's home store four
// times in five, otherwise any.
func (s *Shop) storeOf(sl slot) int {
	if s.below(tagStore, sl.seq, 0, 5) != 0 {
		return sl.cust % s.cfg.Stores
	}
	return s.below(tagStore, sl.seq, 1, s.cfg.Stores)
}

// channelOf: 70% in store, 15% online, 10% app, 5% mini-program.
func (s *Shop) channelOf(seq uint64) int {
	switch v := s.below(tagChannel, seq, 0, 100); {
	case v < 70:
		return 0
	case v < 85:
		return 1
	case v < 95:
		return 2
	default:
		return 3
	}
}
