package sqlite

import (
	"context"
	"os"
	"strings"
)

// walReserveChunk is the size of one write of zeros (each followed by an
// fsync) when Open makes room in the WAL file. A file filled in one large
// write was slower to overwrite and sync afterwards than one grown in
// small synced steps on the ext4 file system the benchmarks ran on;
// 256 KiB steps were not.
const walReserveChunk = 256 << 10

// walReserveSlack is how many frames past the automatic checkpoint's
// threshold the reserved room holds: the commit that crosses the
// threshold writes its frames before the checkpoint runs.
const walReserveSlack = 64

// reserveWAL makes the WAL file as long as the WAL grows between two
// automatic checkpoints, by appending zeros, so that a commit overwrites
// bytes the file already holds instead of growing it. At synchronous=FULL
// every commit ends in an fsync of the WAL, and an fsync after an append
// must also write the file's new size and its block allocation through
// the file system's journal: on the benchmarks' disk (ext4 on a virtual
// machine) ten appended frames and their fsync took about twice the time
// and twice the CPU of ten overwritten ones (BenchmarkDiskSync and
// BenchmarkDiskSyncInPlace). Without the reserve the first checkpoint
// interval after every Open (SQLite deletes the WAL when the last
// connection closes) pays that on every commit; after a checkpoint SQLite
// starts the WAL over from its beginning and keeps the file's length.
//
// The zeros are no WAL content: SQLite reads the WAL up to the first frame
// whose salt or checksum does not match its header, and a zero frame never
// matches, so a crash at any point leaves the same WAL as before. The
// writer holds the write lock meanwhile (a BEGIN IMMEDIATE transaction
// that writes nothing), so no connection in this or another process
// appends a frame or truncates the file, and only bytes past the file's
// end are written, which no reader reads. It is done only when commits
// sync (FULL, EXTRA) and in WAL mode, and is best-effort: a failure (a
// full disk) cuts the file back to its length and leaves the WAL to grow
// as before.
func (db *DB) reserveWAL(ctx context.Context) error {
	var mode string
	var syncMode, pageSize, autoCheckpoint int64
	var file string
	for _, q := range []struct {
		query string
		dest  any
	}{
		{`PRAGMA journal_mode`, &mode},
		{`PRAGMA synchronous`, &syncMode},
		{`PRAGMA page_size`, &pageSize},
		{`PRAGMA wal_autocheckpoint`, &autoCheckpoint},
		{`SELECT file FROM pragma_database_list WHERE name = 'main'`, &file},
	} {
		if err := db.wc.QueryRowContext(ctx, q.query).Scan(q.dest); err != nil {
			return err
		}
	}
	// synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
	if !strings.EqualFold(mode, "wal") || syncMode < 2 || autoCheckpoint <= 0 || file == "" {
		return nil
	}
	want := 32 + (autoCheckpoint+walReserveSlack)*(pageSize+24) // WAL header, then a 24-byte header per frame
	return db.tx(ctx, func(*wtx) error {
		reserveFile(file+"-wal", want)
		return nil
	})
}

// reserveFile appends zeros to the file at path until it is want bytes
// long, syncing after each walReserveChunk; on a failure it cuts the file
// back to its length before. A missing file is left missing.
func reserveFile(path string, want int64) {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.Size() >= want {
		return
	}
	had := st.Size()
	zeros := make([]byte, walReserveChunk)
	for off := had; off < want; off += walReserveChunk {
		n := min(int64(walReserveChunk), want-off)
		if _, err := f.WriteAt(zeros[:n], off); err != nil {
			cutBack(f, had)
			return
		}
		if err := f.Sync(); err != nil {
			cutBack(f, had)
			return
		}
	}
}

// cutBack truncates f to size after a failed reserve. A failure to do so
// leaves zeros past the WAL's frames, which SQLite ignores.
func cutBack(f *os.File, size int64) {
	if f.Truncate(size) == nil {
		_ = f.Sync()
	}
}
