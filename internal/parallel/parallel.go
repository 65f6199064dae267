package parallel

import (
	"runtime"
	"sync"
)

// Workers returns n, or runtime.GOMAXPROCS(0) when n <= 0.
func Workers(n int) int {
	if n <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return n
}

// Ranges calls fn(w, lo, hi) for w in [0, workers) over contiguous pieces
// of [0, n) as equal as possible, each on its own goroutine (the last on
// the caller's), and waits for all. Pieces may be empty when n < workers.
func Ranges(n, workers int, fn func(w, lo, hi int)) {
	workers = max(workers, 1)
	var wg sync.WaitGroup
	for w := range workers - 1 {
		lo, hi := Bounds(n, workers, w)
		wg.Go(func() { fn(w, lo, hi) })
	}
	lo, hi := Bounds(n, workers, workers-1)
	fn(workers-1, lo, hi)
	wg.Wait()
}

// Bounds returns piece w of [0, n) cut into workers pieces.
func Bounds(n, workers, w int) (lo, hi int) {
	return int(int64(n) * int64(w) / int64(workers)), int(int64(n) * int64(w+1) / int64(workers))
}

// Chunks calls fn(c) for every chunk c in [0, chunks) on up to workers
// goroutines, handing chunks out in order, and waits for all. A caller
// that keeps one result per chunk and combines them in chunk order gets
// the same answer for any worker count.
func Chunks(chunks, workers int, fn func(c int)) {
	workers = max(1, min(workers, chunks))
	if workers == 1 {
		for c := range chunks {
			fn(c)
		}
		return
	}
	var mu sync.Mutex
	next := 0
	take := func() int {
		mu.Lock()
		defer mu.Unlock()
		c := next
		next++
		return c
	}
	Ranges(workers, workers, func(int, int, int) {
		for c := take(); c < chunks; c = take() {
			fn(c)
		}
	})
}
