package feedback

import (
	"slices"
	"strings"
	"time"
)

// tkey orders records by a time, then by ID.
type tkey struct {
	t  time.Time
	id string
}

func (a tkey) cmp(b tkey) int {
	if c := a.t.Compare(b.t); c != 0 {
		return c
	}
	return strings.Compare(a.id, b.id)
}

// timeIndex is a sorted slice of keys. Records arrive roughly in time
// order, so inserts are mostly appends.
type timeIndex struct{ keys []tkey }

func (x *timeIndex) insert(k tkey) {
	i, found := slices.BinarySearchFunc(x.keys, k, tkey.cmp)
	if !found {
		x.keys = slices.Insert(x.keys, i, k)
	}
}

func (x *timeIndex) remove(k tkey) {
	if i, found := slices.BinarySearchFunc(x.keys, k, tkey.cmp); found {
		x.keys = slices.Delete(x.keys, i, i+1)
	}
}

// after returns up to n keys greater than (or, with inclusive, equal to)
// k and with a time before to.
func (x *timeIndex) after(k tkey, inclusive bool, to time.Time, n int) []tkey {
	i, found := slices.BinarySearchFunc(x.keys, k, tkey.cmp)
	if found && !inclusive {
		i++
	}
	var out []tkey
	for ; i < len(x.keys) && len(out) < n && x.keys[i].t.Before(to); i++ {
		out = append(out, x.keys[i])
	}
	return out
}

// dueIndex finds complaints by NextCheck. It buckets them by hour, so a
// change of NextCheck costs O(1) and a query reads only the buckets that
// start before its bound.
type dueIndex struct {
	buckets map[int64]map[string]time.Time
	hours   []int64 // sorted bucket keys
}

const dueBucket = int64(time.Hour / time.Second)

func bucketOf(t time.Time) int64 {
	s := t.Unix()
	b := s / dueBucket
	if s%dueBucket < 0 {
		b--
	}
	return b
}

func (x *dueIndex) set(id string, old, next time.Time) {
	if old.Equal(next) {
		return
	}
	if !old.IsZero() {
		b := bucketOf(old)
		if m := x.buckets[b]; m != nil {
			delete(m, id)
			if len(m) == 0 {
				delete(x.buckets, b)
				if i, ok := slices.BinarySearch(x.hours, b); ok {
					x.hours = slices.Delete(x.hours, i, i+1)
				}
			}
		}
	}
	if next.IsZero() {
		return
	}
	if x.buckets == nil {
		x.buckets = map[int64]map[string]time.Time{}
	}
	b := bucketOf(next)
	m := x.buckets[b]
	if m == nil {
		m = map[string]time.Time{}
		x.buckets[b] = m
		i, _ := slices.BinarySearch(x.hours, b)
		x.hours = slices.Insert(x.hours, i, b)
	}
	m[id] = next
}

// before returns the keys with a time before t, ordered.
func (x *dueIndex) before(t time.Time) []tkey {
	var out []tkey
	last := bucketOf(t)
	for _, b := range x.hours {
		if b > last {
			break
		}
		for id, at := range x.buckets[b] {
			if at.Before(t) {
				out = append(out, tkey{at, id})
			}
		}
	}
	slices.SortFunc(out, tkey.cmp)
	return out
}
