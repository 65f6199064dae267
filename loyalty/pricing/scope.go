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
	words        int // uint64 words per mask
	bits         int // indexed promotions
	keys         keyTable
	entries      []scopeEntry // by keys' index
	excludesOnly []uint64     // promotions listing exclusions only: every other item
}

// scopeEntry is what one key means to the promotions: the bits of those
// that include an item with it, and of those that exclude it (a SKU can
// be both; a category or brand only includes, a tag only excludes).
type scopeEntry struct{ include, exclude []uint64 }

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
	type key struct {
		kind keyKind
		s    string
	}
	index := map[key]int{}
	set := func(kind keyKind, s string, exclude bool, bit int) {
		i, ok := index[key{kind, s}]
		if !ok {
			i = len(x.entries)
			index[key{kind, s}] = i
			x.entries = append(x.entries, scopeEntry{})
		}
		m := &x.entries[i].include
		if exclude {
			m = &x.entries[i].exclude
		}
		if *m == nil {
			*m = make([]uint64, x.words)
		}
		(*m)[bit/64] |= 1 << (bit % 64)
	}
	for i := range promos {
		c := &promos[i]
		if c.bit < 0 {
			continue
		}
		sc := &c.o.Scope
		for _, k := range sc.SKUs {
			set(keySKU, k, false, c.bit)
		}
		for _, k := range sc.Categories {
			set(keyCategory, k, false, c.bit)
		}
		for _, k := range sc.Brands {
			set(keyBrand, k, false, c.bit)
		}
		for _, k := range sc.ExcludeSKUs {
			set(keySKU, k, true, c.bit)
		}
		for _, k := range sc.ExcludeTags {
			set(keyTag, k, true, c.bit)
		}
		if len(sc.SKUs)+len(sc.Categories)+len(sc.Brands) == 0 {
			x.excludesOnly[c.bit/64] |= 1 << (c.bit % 64)
		}
	}
	x.keys = newKeyTable(len(index))
	for k, i := range index {
		x.keys.put(k.kind, k.s, i)
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
		copy(m, x.excludesOnly)
		or := func(v []uint64) {
			for w := range v {
				m[w] |= v[w]
			}
		}
		var exclude []uint64 // the SKU's, applied after every inclusion
		if e := x.keys.get(keySKU, it.SKU); e >= 0 {
			or(x.entries[e].include)
			exclude = x.entries[e].exclude
		}
		if e := x.keys.get(keyCategory, it.Category); e >= 0 {
			or(x.entries[e].include)
		}
		if e := x.keys.get(keyBrand, it.Brand); e >= 0 {
			or(x.entries[e].include)
		}
		andNot := func(v []uint64) {
			for w := range v {
				m[w] &^= v[w]
			}
		}
		andNot(exclude)
		if x.keys.kinds&(1<<keyTag) != 0 {
			for _, t := range it.Tags {
				if e := x.keys.get(keyTag, t); e >= 0 {
					andNot(x.entries[e].exclude)
				}
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
