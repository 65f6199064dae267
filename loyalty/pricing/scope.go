package pricing

import "math/bits"

// scopeIndex answers "which promotions' scopes hold this item" with a few
// map lookups per item instead of a list scan per promotion and item: a
// 50-line basket under 20 scoped promotions made a thousand scans, a
// fifth of pricing's time. Each promotion with a scope has a bit; an
// item's mask is the bits of the promotions that include it (by SKU,
// category or brand) and exclude it by neither SKU nor tag. Promotions
// with an empty scope hold every item and are not indexed; coupons,
// which change with every basket, are tested on their own.
type scopeIndex struct {
	words int // uint64 words per mask
	bits  int // indexed promotions
	// sku holds, per SKU, the promotions listing it then (words further
	// on) those excluding it: one lookup per item for both lists.
	sku                         keyMasks
	category, brand, excludeTag keyMasks
	excludesOnly                []uint64 // promotions listing exclusions only: every other item
}

func newScopeIndex(promos []cOffer) scopeIndex {
	var x scopeIndex
	bits := 0
	for i := range promos {
		if !promos[i].everyLine {
			promos[i].bit = bits
			bits++
		}
	}
	x.words, x.bits = (bits+63)/64, bits
	x.excludesOnly = make([]uint64, x.words)
	set := func(m *keyMasks, key string, bit int) { m.set(key, bit, x.words) }
	include := func(key string, bit int) { x.sku.set(key, bit, 2*x.words) }
	exclude := func(key string, bit int) { x.sku.set(key, x.words*64+bit, 2*x.words) }
	for i := range promos {
		c := &promos[i]
		if c.bit < 0 {
			continue
		}
		sc := &c.o.Scope
		for _, k := range sc.SKUs {
			include(k, c.bit)
		}
		for _, k := range sc.Categories {
			set(&x.category, k, c.bit)
		}
		for _, k := range sc.Brands {
			set(&x.brand, k, c.bit)
		}
		for _, k := range sc.ExcludeSKUs {
			exclude(k, c.bit)
		}
		for _, k := range sc.ExcludeTags {
			set(&x.excludeTag, k, c.bit)
		}
		if len(sc.SKUs)+len(sc.Categories)+len(sc.Brands) == 0 {
			x.excludesOnly[c.bit/64] |= 1 << (c.bit % 64)
		}
	}
	return x
}

// masks returns every item's mask, words per item, in buf's space.
func (x *scopeIndex) masks(items []Item, buf []uint64) []uint64 {
	n := len(items) * x.words
	if n == 0 {
		return buf[:0]
	}
	if cap(buf) < n {
		buf = make([]uint64, n)
	}
	buf = buf[:n]
	for i := range items {
		it := &items[i]
		m := buf[i*x.words : (i+1)*x.words]
		for w := range m { // not copy: a call per item for a word or two
			m[w] = x.excludesOnly[w]
		}
		or := func(v []uint64) {
			for w := range v {
				m[w] |= v[w]
			}
		}
		sku := x.sku.get(it.SKU)
		if sku != nil {
			or(sku[:x.words])
		}
		or(x.category.get(it.Category))
		or(x.brand.get(it.Brand))
		andNot := func(v []uint64) {
			for w := range v {
				m[w] &^= v[w]
			}
		}
		if sku != nil {
			andNot(sku[x.words:])
		}
		if x.excludeTag.filter != 0 {
			for _, t := range it.Tags {
				andNot(x.excludeTag.get(t))
			}
		}
	}
	return buf
}

// lineSets turns items' masks (as masks returns them) around: for every
// indexed promotion, the set of items its scope holds, lineWords words
// per promotion with bit i for item i, in buf's space. An offer then
// walks only the lines in its scope, not every line of the basket.
func (x *scopeIndex) lineSets(masks []uint64, items int, buf []uint64) (sets []uint64, lineWords int) {
	lineWords = (items + 63) / 64
	sets = grow(buf, x.bits*lineWords)
	for i := range items {
		word, bit := i/64, uint64(1)<<(i%64)
		for w, m := range masks[i*x.words : (i+1)*x.words] {
			for ; m != 0; m &= m - 1 {
				promo := w*64 + bits.TrailingZeros64(m)
				sets[promo*lineWords+word] |= bit
			}
		}
	}
	return sets, lineWords
}

// keyMasks maps a scope key (a SKU, category, brand or tag) to the bits
// of the promotions that list it, behind a one-word filter: bit
// filterBit(k) is set for every key held, so most keys that are not held
// (a SKU no promotion names) are turned away without a map lookup, and an
// empty map is never probed. A lookup was 7 % of pricing's time.
type keyMasks struct {
	m      map[string][]uint64
	filter uint64
}

// filterBit picks one of 64 bits from a key's length and its first and
// last bytes.
func filterBit(s string) uint64 {
	h := uint32(len(s))
	if len(s) > 0 {
		h |= uint32(s[0])<<8 | uint32(s[len(s)-1])<<16
	}
	return 1 << (h * 0x9e3779b1 >> 26)
}

// set sets bit in key's mask of words words.
func (k *keyMasks) set(key string, bit, words int) {
	if k.m == nil {
		k.m = map[string][]uint64{}
	}
	v := k.m[key]
	if v == nil {
		v = make([]uint64, words)
		k.m[key] = v
	}
	v[bit/64] |= 1 << (bit % 64)
	k.filter |= filterBit(key)
}

// get returns the bits of the promotions listing key; nil for none.
func (k *keyMasks) get(key string) []uint64 {
	if k.filter&filterBit(key) == 0 {
		return nil
	}
	return k.m[key]
}
