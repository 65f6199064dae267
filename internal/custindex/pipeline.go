package custindex

// BatchLen items make a batch of a Pipeline: enough independent cache
// misses to keep the memory system busy, few enough that the lines are
// still cached when the batch is folded. Of 16, 32, 64 and 128, 64 was
// fastest for both callers.
const BatchLen = 64

// Pipeline folds a stream of items into a Table in stream order, with the
// cache lines each fold needs loaded ahead of it. Items wait in two
// batches: when one fills, the index slots of its customers are loaded
// together with the records of the batch before it (whose slots were
// loaded one batch earlier), and then that earlier batch is folded. Each
// round overlaps some sixty misses, where a lookup at a time would take
// them one after another; Go has no prefetch instruction, and loads whose
// results are kept are the portable way to get the same memory-level
// parallelism. The loads are only hints: a stale one costs time, never
// correctness.
type Pipeline[T, R any] struct {
	table      *Table[R]
	fold       Fold[T, R]
	fill, wait *batch[T]
	sink       uint64 // keeps the loads alive
}

// Fold adds one item to its customer's record r at position pos; added
// says the customer was new. An error stops the pipeline.
type Fold[T, R any] func(item *T, r *R, pos int, added bool) error

type batch[T any] struct {
	n     int
	items [BatchLen]T
	ids   [BatchLen]string
	hs    [BatchLen]uint64
}

// NewPipeline returns a pipeline that folds into t with fold.
func NewPipeline[T, R any](t *Table[R], fold Fold[T, R]) *Pipeline[T, R] {
	return &Pipeline[T, R]{table: t, fold: fold, fill: new(batch[T]), wait: new(batch[T])}
}

// Push queues item for customer id (not empty), folding an earlier batch
// when a batch fills; the error is the first fold's or Lookup's, after
// which the pipeline must not be used.
func (p *Pipeline[T, R]) Push(id string, item T) error {
	b := p.fill
	b.items[b.n], b.ids[b.n], b.hs[b.n] = item, id, p.table.Hash(id)
	if b.n++; b.n < BatchLen {
		return nil
	}
	return p.advance()
}

// Flush folds every queued item.
func (p *Pipeline[T, R]) Flush() error {
	for range 2 { // the waiting batch, then the partial one
		if err := p.advance(); err != nil {
			return err
		}
	}
	return nil
}

// advance loads the lines described on Pipeline, folds the waiting batch
// and makes the filled batch wait.
func (p *Pipeline[T, R]) advance() error {
	t, f, w := p.table, p.fill, p.wait
	var acc uint64
	for i := range max(f.n, w.n) {
		if i < f.n {
			acc += t.touchSlot(f.hs[i])
		}
		if i < w.n {
			acc += t.touchRecord(w.hs[i])
		}
	}
	p.sink += acc
	for i := range w.n {
		pos, added, err := t.Lookup(w.ids[i], w.hs[i])
		if err != nil {
			return err
		}
		if err := p.fold(&w.items[i], t.At(pos), pos, added); err != nil {
			return err
		}
	}
	clear(w.items[:w.n]) // let go of what the items and IDs point to
	clear(w.ids[:w.n])
	w.n = 0
	p.fill, p.wait = w, f
	return nil
}
