package txnfile

import "io"

// Folder takes the rows of one piece of a file as FoldAt reads them, in
// file order, a batch at a time: row i of a batch is a transaction of the
// piece's customer number customer[i] (the piece numbers its customers 0,
// 1, 2, ... in order of first appearance in the piece), on day day[i], of
// amount[i] minor units. The slices are valid only during the call.
type Folder interface {
	Fold(customer, day []int32, amount []int64)
}

// Folded is the customers of a file read by FoldAt: their IDs in order of
// first appearance in the file, as Table.IDs, and for each piece the index
// in IDs of each of its customer numbers.
type Folded struct {
	IDs   []string
	Remap [][]int32 // Remap[p][c]: the index in IDs of piece p's customer c
}

// FoldAt reads a file as ReadTableAt does, on workers goroutines (0 means
// runtime.GOMAXPROCS(0)), but keeps no rows: the rows of piece p go to
// folders[p] as they are read, where folders is newFolders(pieces); a
// consumer that folds rows into per-customer totals needs memory by
// customers only, not the 16 bytes a row of a Table. Pieces are
// consecutive runs of the file's rows, piece 0 first, and piece 0 numbers
// its customers as IDs does (its Remap is the identity), so a consumer that
// combines the pieces' totals in piece order sees the rows in file order.
//
// Stats and errors (with their lines) are ReadTableAt's; after an error
// the folders' totals are incomplete. A file with a quote in its rows is
// read again on one goroutine, as ReadTableAt does: newFolders is then
// called a second time, with 1, and the first folders are to be dropped.
func FoldAt(r io.ReaderAt, size int64, f Format, workers int, newFolders func(pieces int) []Folder) (Folded, Stats, error) {
	folding := func(folders []Folder) func(int) *Table {
		return func(w int) *Table {
			t := readingTable(nil, nil, nil)
			t.fold = folders[w]
			return t
		}
	}
	pieces, headerLines, err := readPieces(r, size, f, workers, func(cuts []int64, _ int64, _ float64) func(int) *Table {
		return folding(newFolders(len(cuts) - 1))
	})
	if err != nil {
		return Folded{}, Stats{}, err
	}
	if pieces == nil { // a quoted field: one piece, read from the start
		rd, err := NewReader(io.NewSectionReader(r, 0, size), f)
		if err != nil {
			return Folded{}, Stats{}, err
		}
		pieces, headerLines = []piece{readPiece(rd, f, folding(newFolders(1))(0))}, 0
	}
	st, err := joinStats(pieces, headerLines)
	if err != nil {
		return Folded{}, st, err
	}
	out := pieces[0].tab
	fd := Folded{Remap: make([][]int32, len(pieces))}
	fd.Remap[0] = make([]int32, out.arena.len())
	for c := range fd.Remap[0] {
		fd.Remap[0][c] = int32(c)
	}
	for p, pc := range pieces[1:] {
		if fd.Remap[p+1], err = out.internFrom(pc.tab); err != nil {
			return Folded{}, st, err
		}
		pieces[p+1].tab = nil // its arena is dead once interned
	}
	out, _, _ = done(out, st, nil)
	fd.IDs = out.IDs
	return fd, st, nil
}
